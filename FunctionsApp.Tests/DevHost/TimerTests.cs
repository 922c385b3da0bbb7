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
        var time = new ArmedTimeProvider(Start);
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
        var first = Start.AddSeconds(10);
        var second = Start.AddSeconds(20);

        scheduler.Start();
        await WaitUntilAsync(() => fired.Any(f => f.Name == "Startup"), () => $"fired: {string.Join(", ", fired)}");
        await WaitUntilAsync(() => time.IsArmedFor(first), () => $"no timer armed for {first:O}; armed: {time.Armed}");
        time.Advance(first - time.GetUtcNow());
        await WaitUntilAsync(() => time.IsArmedFor(second), () => $"no timer armed for {second:O} after the first tick; fired: {string.Join(", ", fired)}");
        time.Advance(second - time.GetUtcNow());
        await WaitUntilAsync(() => fired.Count(f => f.Name == "Every10s") >= 2, () => $"fired: {string.Join(", ", fired)}");

        var ticks = fired.Where(f => f.Name == "Every10s").ToList();
        Assert.AreEqual(Start, fired.Single(f => f.Name == "Startup").At);
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 2, 40, TimeSpan.Zero), ticks[0].At);
        Assert.AreEqual(new DateTimeOffset(2026, 12, 1, 10, 2, 50, TimeSpan.Zero), ticks[1].At);
        Assert.IsFalse(ticks.Any(t => t.PastDue));
    }

    /// <summary>Waits for background work on a condition, at most 5 s, and says what it saw when it gives up.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> seen)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition() && !timeout.IsCancellationRequested)
        {
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(5), CancellationToken.None);
        }
        Assert.IsTrue(condition(), $"condition not met within 5 s: {seen()}");
    }

    /// <summary>A fake clock that records when each timer it created is due, so a test advances only once the scheduler waits.</summary>
    private sealed class ArmedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly ConcurrentBag<DateTimeOffset> _due = [];

        public string Armed => string.Join(", ", _due.Order().Select(d => d.ToString("O", global::System.Globalization.CultureInfo.InvariantCulture)));

        public bool IsArmedFor(DateTimeOffset due) => _due.Contains(due);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _due.Add(GetUtcNow() + dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
