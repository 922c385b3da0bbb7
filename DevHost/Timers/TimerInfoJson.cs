using System.Text.Json;

namespace DevHost.Timers;

/// <summary>The TimerInfo payload, shaped like WebJobs' (PascalCase) so the worker's TimerInfo converter reads it.</summary>
internal static class TimerInfoJson
{
    public static string Create(bool isPastDue, DateTimeOffset? last, DateTimeOffset next, DateTimeOffset lastUpdated, TimeZoneInfo zone)
    {
        var payload = new Dictionary<string, object?>
        {
            ["Schedule"] = new Dictionary<string, object> { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new Dictionary<string, string>
            {
                ["Last"] = Format(last ?? DateTimeOffset.MinValue, zone),
                ["Next"] = Format(next, zone),
                ["LastUpdated"] = Format(lastUpdated, zone),
            },
            ["IsPastDue"] = isPastDue,
        };
        return JsonSerializer.Serialize(payload);
    }

    private static string Format(DateTimeOffset value, TimeZoneInfo zone) =>
        value == DateTimeOffset.MinValue ? "0001-01-01T00:00:00" : TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
}
