using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Events;

/// <summary>Settings under <c>Events__*</c> (docs/events.md); the delivery timer's schedule is <c>Maintenance__DeliverEventsSchedule</c>.</summary>
internal sealed class EventsOptions
{
    public const string SettingsSection = "Events";

    /// <summary>The CloudEvents <c>source</c> of every event: the catalog's URL.</summary>
    [Required]
    public string Source { get; set; } = "urn:component-catalog";

    /// <summary>How far apart the instances' clocks may be; the feed holds back changes younger than this plus the announcement bound.</summary>
    [Range(0, 10_000)]
    public int ClockSkewMilliseconds { get; set; } = 250;

    /// <summary>Where a reader without a cursor starts: this many days back.</summary>
    [Range(1, 365)]
    public int FeedHistoryDays { get; set; } = 7;

    /// <summary>Plain <c>http</c> to loopback targets; on only in Development (set by the host environment when not configured).</summary>
    public bool? AllowLoopbackHttp { get; set; }

    /// <summary>Per request to a subscriber (connect, send, headers back).</summary>
    [Range(1, 60)]
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    /// <summary>How long an event is retried before it becomes a dead letter.</summary>
    [Range(0.01, 168)]
    public double RetryHours { get; set; } = 24;

    /// <summary>First retry delay; each further retry doubles it (with jitter), up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(1, 3600)]
    public int FirstRetryDelaySeconds { get; set; } = 5;

    [Range(1, 86_400)]
    public int MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>Longest one delivery run keeps going (the timer fires again after it).</summary>
    [Range(1, 600)]
    public int RunSeconds { get; set; } = 50;

    /// <summary>Delivery attempts kept per subscription (newest first); older ones are trimmed. Dead letters are not counted.</summary>
    [Range(10, 10_000)]
    public int KeepAttempts { get; set; } = 200;

    [Range(1, 1000)]
    public int MaxSubscriptions { get; set; } = 200;

    internal TimeSpan Horizon => Search.ComponentSearch.MaxAnnounceDelay + TimeSpan.FromMilliseconds(ClockSkewMilliseconds);
}
