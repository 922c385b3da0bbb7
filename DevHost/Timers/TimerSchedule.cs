using System.Globalization;
using NCrontab;

namespace DevHost.Timers;

/// <summary>
/// A timer trigger's schedule as WebJobs reads it: a <c>hh:mm:ss</c> interval, or an NCRONTAB expression with
/// seconds (6 fields; 5-field expressions are read without seconds), evaluated in the app's time zone.
/// </summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(string expression, CrontabSchedule? cron, TimeSpan interval)
    {
        Expression = expression;
        _cron = cron;
        _interval = interval;
    }

    public string Expression { get; }

    public bool IsInterval => _cron is null;

    public static TimerSchedule Parse(string expression)
    {
        var text = expression.Trim();
        if (!text.Contains(' ', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var interval))
        {
            return interval > TimeSpan.Zero
                ? new TimerSchedule(text, null, interval)
                : throw new FormatException($"The timer interval '{text}' must be positive.");
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new FormatException($"'{text}' is neither an NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}) nor a hh:mm:ss interval.");
        }
        var cron = CrontabSchedule.TryParse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 })
                   ?? throw new FormatException($"'{text}' is not a valid NCRONTAB expression.");
        return new TimerSchedule(text, cron, TimeSpan.Zero);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, computed on <paramref name="zone"/>'s wall clock.</summary>
    public DateTimeOffset GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (_cron is null)
        {
            return after + _interval;
        }

        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        while (true)
        {
            local = _cron.GetNextOccurrence(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
            if (!zone.IsInvalidTime(local))
            {
                return new DateTimeOffset(local, zone.GetUtcOffset(local));
            }
        }
    }

    /// <summary>The app's time zone: <c>WEBSITE_TIME_ZONE</c> when set and known, else the machine's.</summary>
    public static TimeZoneInfo ResolveTimeZone(string? websiteTimeZone) =>
        websiteTimeZone is { Length: > 0 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Local;

    /// <summary>An occurrence fired more than <paramref name="tolerance"/> after it was due is past due.</summary>
    public static bool IsPastDue(DateTimeOffset scheduled, DateTimeOffset firedAt, TimeSpan tolerance) => firedAt - scheduled > tolerance;
}
