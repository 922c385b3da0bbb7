using DevHost.Functions;
using DevHost.Settings;
using Microsoft.Extensions.Logging;

namespace DevHost.Timers;

internal sealed record ScheduledTimer(FunctionDescriptor Function, TimerSchedule Schedule);

/// <summary>
/// Fires each timer function on its schedule, one occurrence at a time per function (an occurrence that is due while
/// the previous run is still going starts when it ends, flagged past due). RunOnStartup fires once at start.
/// The real host's storage-backed schedule monitor and singleton lock are not needed locally.
/// </summary>
internal sealed partial class TimerScheduler(
    IReadOnlyList<ScheduledTimer> timers,
    Func<FunctionDescriptor, string, CancellationToken, Task> invoke,
    TimeProvider time,
    TimeZoneInfo zone,
    ILogger logger) : IAsyncDisposable
{
    /// <summary>How late an occurrence may fire before it counts as past due.</summary>
    public static TimeSpan PastDueTolerance { get; } = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(12);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public IReadOnlyList<ScheduledTimer> Timers => timers;

    /// <summary>Resolves <c>%Setting%</c> and parses each timer's schedule; a bad schedule leaves that function unscheduled.</summary>
    public static (IReadOnlyList<ScheduledTimer> Timers, IReadOnlyList<string> Errors) Prepare(IEnumerable<FunctionDescriptor> functions, Func<string, string?> settings)
    {
        var prepared = new List<ScheduledTimer>();
        var errors = new List<string>();
        foreach (var function in functions.Where(f => f.IsTimer))
        {
            try
            {
                var expression = function.Schedule ?? throw new FormatException("the timer trigger has no schedule.");
                prepared.Add(new ScheduledTimer(function, TimerSchedule.Parse(SettingExpressions.Resolve(expression, settings))));
            }
            catch (Exception exception) when (exception is FormatException or InvalidOperationException)
            {
                errors.Add($"{function.Name}: {exception.Message}");
            }
        }
        return (prepared, errors);
    }

    public void Start()
    {
        foreach (var timer in timers)
        {
            _loops.Add(Task.Run(() => RunAsync(timer, _stop.Token)));
        }
    }

    private async Task RunAsync(ScheduledTimer timer, CancellationToken ct)
    {
        DateTimeOffset? last = null;
        var cursor = time.GetUtcNow();
        try
        {
            if (timer.Function.RunOnStartup)
            {
                await FireAsync(timer, isPastDue: false, last, cursor, ct);
                last = cursor;
            }

            while (!ct.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                var due = timer.Schedule.GetNextOccurrence(now > cursor ? now : cursor, zone);
                for (var wait = due - now; wait > TimeSpan.Zero; wait = due - time.GetUtcNow())
                {
                    await Task.Delay(wait < MaxDelay ? wait : MaxDelay, time, ct);
                }

                var fired = time.GetUtcNow();
                await FireAsync(timer, TimerSchedule.IsPastDue(due, fired, PastDueTolerance), last, fired, ct);
                last = due;
                cursor = due;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task FireAsync(ScheduledTimer timer, bool isPastDue, DateTimeOffset? last, DateTimeOffset now, CancellationToken ct)
    {
        var next = timer.Schedule.GetNextOccurrence(now, zone);
        var info = TimerInfoJson.Create(isPastDue, last, next, now, zone);
        LogFiring(logger, timer.Function.Name, isPastDue, next);
        try
        {
            await invoke(timer.Function, info, ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFireFailed(logger, exception, timer.Function.Name);
        }
    }

    /// <summary>A fresh TimerInfo for an on-demand run through the admin endpoint.</summary>
    public string CreateOnDemandTimerInfo(FunctionDescriptor function)
    {
        var now = time.GetUtcNow();
        var schedule = timers.FirstOrDefault(t => t.Function.Name == function.Name)?.Schedule;
        return TimerInfoJson.Create(isPastDue: false, last: null, schedule?.GetNextOccurrence(now, zone) ?? now, now, zone);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Timer {FunctionName} fires (IsPastDue={IsPastDue}); next at {Next}")]
    private static partial void LogFiring(ILogger logger, string functionName, bool isPastDue, DateTimeOffset next);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "Timer {FunctionName} could not be invoked")]
    private static partial void LogFireFailed(ILogger logger, Exception exception, string functionName);
}
