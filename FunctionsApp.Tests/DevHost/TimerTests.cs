using System.Collections.Concurrent;
using System.Text.Json;
using DevHost.Functions;
using DevHost.Timers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class TimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 2, 30, TimeSpan.Zero);

    [TestMethod]
    public void GetNextOccurrence_SixFieldCron_UsesSeconds()
    {
        var schedule = TimerSchedule.Parse("0 */5 * * * *");

        var next = schedule.GetNextOccurrence(Start, TimeZoneInfo.Utc);
        var after = schedule.GetNextOccurrence(next, TimeZoneInfo.Utc);

        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 5, 0, TimeSpan.Zero), next);
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 10, 0, TimeSpan.Zero), after);
        Assert.IsFalse(schedule.IsInterval);
    }

    [TestMethod]
    public void GetNextOccurrence_EverySecondsField_FiresWithinTheMinute()
    {
        var schedule = TimerSchedule.Parse("*/10 * * * * *");

        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 2, 40, TimeSpan.Zero), schedule.GetNextOccurrence(Start, TimeZoneInfo.Utc));
    }

    [TestMethod]
    public void GetNextOccurrence_FiveFieldCron_ReadWithoutSeconds()
    {
        var schedule = TimerSchedule.Parse("30 9 * * 1-5");

        Assert.AreEqual(new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero), schedule.GetNextOccurrence(Start, TimeZoneInfo.Utc));
    }

    [TestMethod]
    public void GetNextOccurrence_Interval_AddsIt()
    {
        var schedule = TimerSchedule.Parse("00:00:30");

        Assert.IsTrue(schedule.IsInterval);
        Assert.AreEqual(Start.AddSeconds(30), schedule.GetNextOccurrence(Start, TimeZoneInfo.Utc));
    }

    [TestMethod]
    public void GetNextOccurrence_OtherTimeZone_EvaluatesOnItsWallClock()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("Plus2", TimeSpan.FromHours(2), "Plus2", "Plus2");
        var schedule = TimerSchedule.Parse("0 0 9 * * *");

        var next = schedule.GetNextOccurrence(Start, zone);

        Assert.AreEqual(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero), next.ToUniversalTime());
    }

    [TestMethod]
    [DataRow("not a schedule")]
    [DataRow("0 */5 * * *  * *")]
    [DataRow("99 * * * * *")]
    [DataRow("-00:00:05")]
    public void Parse_Invalid_Throws(string expression)
    {
        Assert.ThrowsExactly<FormatException>(() => TimerSchedule.Parse(expression));
    }

    [TestMethod]
    [DataRow(0, false)]
    [DataRow(1500, false)]
    [DataRow(2500, true)]
    [DataRow(600000, true)]
    public void IsPastDue_Lateness_ComparedWithTolerance(int lateMilliseconds, bool expected)
    {
        var scheduled = Start;

        Assert.AreEqual(expected, TimerSchedule.IsPastDue(scheduled, scheduled.AddMilliseconds(lateMilliseconds), TimerScheduler.PastDueTolerance));
    }

    [TestMethod]
    public void Prepare_SettingSchedule_ResolvedAndBadOnesReported()
    {
        var settings = new Dictionary<string, string> { ["Nightly"] = "0 0 2 * * *" };
        var functions = new[]
        {
            FunctionsFactory.Timer("Sweep", "%Nightly%"),
            FunctionsFactory.Timer("Missing", "%NoSuchSetting%"),
            FunctionsFactory.Timer("Bad", "every day"),
            FunctionsFactory.Http("Health", "health"),
        };

        var (timers, errors) = TimerScheduler.Prepare(functions, settings.GetValueOrDefault);

        Assert.AreEqual("Sweep", timers.Single().Function.Name);
        Assert.AreEqual("0 0 2 * * *", timers.Single().Schedule.Expression);
        Assert.HasCount(2, errors);
        Assert.IsTrue(errors.Any(e => e.StartsWith("Missing", StringComparison.Ordinal)));
        Assert.IsTrue(errors.Any(e => e.StartsWith("Bad", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TimerInfoJson_Create_PascalCaseWithStatus()
    {
        var json = TimerInfoJson.Create(true, null, Start.AddMinutes(5), Start, TimeZoneInfo.Utc);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.IsTrue(root.GetProperty("IsPastDue").GetBoolean());
        Assert.IsTrue(root.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.AreEqual(Start.AddMinutes(5), DateTimeOffset.Parse(root.GetProperty("ScheduleStatus").GetProperty("Next").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("0001-01-01T00:00:00", root.GetProperty("ScheduleStatus").GetProperty("Last").GetString());
    }

    [TestMethod]
    public async Task Scheduler_TimeAdvances_FiresOnScheduleAndRunOnStartup()
    {
        var time = new FakeTimeProvider(Start);
        var fired = new ConcurrentQueue<(string Name, DateTimeOffset At, bool PastDue)>();
        var functions = new[] { FunctionsFactory.Timer("Every10s", "*/10 * * * * *"), FunctionsFactory.Timer("Startup", "0 0 0 1 1 *", runOnStartup: true) };
        var (timers, _) = TimerScheduler.Prepare(functions, _ => null);
        Task Invoke(FunctionDescriptor function, string info, CancellationToken ct)
        {
            using var document = JsonDocument.Parse(info);
            fired.Enqueue((function.Name, time.GetUtcNow(), document.RootElement.GetProperty("IsPastDue").GetBoolean()));
            return Task.CompletedTask;
        }
        await using var scheduler = new TimerScheduler(timers, Invoke, time, TimeZoneInfo.Utc, NullLogger.Instance);

        scheduler.Start();
        await WaitUntilAsync(() => fired.Any(f => f.Name == "Startup"));
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        await WaitUntilAsync(() => fired.Count(f => f.Name == "Every10s") >= 2);

        var ticks = fired.Where(f => f.Name == "Every10s").ToList();
        Assert.AreEqual(Start, fired.Single(f => f.Name == "Startup").At);
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 2, 40, TimeSpan.Zero), ticks[0].At);
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 2, 50, TimeSpan.Zero), ticks[1].At);
        Assert.IsFalse(ticks.Any(t => t.PastDue));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.IsTrue(condition(), "condition not met in time");
    }
}
