using System.Diagnostics;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Events;

/// <summary>
/// Delivers the change feed to each subscription (docs/adr/0060-change-events.md), run by the timer
/// <c>DeliverEvents</c>. Per subscription, under a lease (one instance at a time): from its cursor, each matching
/// event in commit order — the handshake first, then the event; on failure the subscription waits (exponential
/// backoff with jitter) and retries the same event, so events of one component never overtake each other; an
/// event still failing after <see cref="EventsOptions.RetryHours"/> becomes a dead letter and delivery moves on.
/// At least once: the cursor is saved after each page, so a crash repeats at most one page (same ids).
/// </summary>
internal sealed partial class EventDelivery(
    ChangeFeed feed, SubscriptionStore subscriptions, EventSender sender, JobStore leases, TimeProvider clock, EventsOptions options,
    ILogger<EventDelivery> logger)
{
    private const int PageSize = 100;

    /// <summary>Longest a run skips listing the subscriptions while there are none (the idle back-off).</summary>
    public static readonly TimeSpan MaxQuiet = TimeSpan.FromSeconds(30);

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// One run at a time on this instance (the timer and <see cref="LocalDelivery"/> queue behind each other), so a
    /// run asked for after a commit always starts after that commit is readable; instances exclude each other per
    /// subscription with the lease.
    /// </summary>
    private readonly SemaphoreSlim _run = new(1, 1);
    private TimeSpan _quiet;
    private DateTimeOffset _quietUntil;
    private long _addedSeen = -1;

    /// <summary>
    /// One run over every subscription; returns how many events were delivered. While there are no subscriptions the
    /// timer's runs back off (the listing is skipped for 1 s, 2 s, 4 s … up to <see cref="MaxQuiet"/>), so an idle catalog
    /// makes no storage calls every second; a subscription added on this instance ends the quiet spell at once, one
    /// added on another instance is found within <see cref="MaxQuiet"/> (its cursor starts at its creation: nothing is missed).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        await _run.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (subscriptions.Added == _addedSeen && now < _quietUntil)
            {
                return 0;
            }
            _addedSeen = subscriptions.Added;
            var all = await subscriptions.ListAsync(ct);
            if (all.Count == 0)
            {
                _quiet = _quiet == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(2 * _quiet.Ticks, MaxQuiet.Ticks));
                _quietUntil = now + _quiet;
                return 0;
            }
            _quiet = TimeSpan.Zero;
            var delivered = 0;
            foreach (var subscription in all)
            {
                delivered += await DeliverAsync(subscription.Id, ct);
            }
            return delivered;
        }
        finally
        {
            _run.Release();
        }
    }

    /// <summary>Delivers what is due to one subscription, if no other instance holds it.</summary>
    public async Task<int> DeliverAsync(string subscriptionId, CancellationToken ct = default)
    {
        var lease = "deliver-" + subscriptionId;
        if (!await leases.TryAcquireLeaseAsync(lease, _holder, clock.GetUtcNow(), TimeSpan.FromSeconds(options.RunSeconds + 60), ct))
        {
            return 0;
        }
        try
        {
            return await DeliverLeasedAsync(subscriptionId, ct);
        }
        finally
        {
            await leases.ReleaseLeaseAsync(lease, _holder, CancellationToken.None);
        }
    }

    private async Task<int> DeliverLeasedAsync(string subscriptionId, CancellationToken ct)
    {
        var subscription = await subscriptions.GetAsync(subscriptionId, ct);
        if (subscription is null || subscription.NextAttemptAt > clock.GetUtcNow())
        {
            return 0;
        }
        var delivered = 0;
        var run = Stopwatch.StartNew();
        while (run.Elapsed < TimeSpan.FromSeconds(options.RunSeconds))
        {
            var page = await feed.ReadAsync(subscription.Cursor, PageSize, ct);
            var (next, count, stopped) = await DeliverPageAsync(subscription, page, ct);
            delivered += count;
            if (next != subscription && (subscription = await subscriptions.SaveAsync(next, ct)) is null)
            {
                return delivered; // deleted meanwhile
            }
            if (stopped || page.Items.Count < PageSize)
            {
                break;
            }
        }
        if (delivered > 0) LogDelivered(logger, delivered, subscriptionId);
        return delivered;
    }

    /// <summary>The subscription's state after delivering as much of the page as the subscriber takes.</summary>
    private async Task<(Subscription Next, int Delivered, bool Stopped)> DeliverPageAsync(Subscription subscription, FeedPage page, CancellationToken ct)
    {
        var delivered = 0;
        foreach (var item in page.Items)
        {
            if (!subscription.Filter.Matches(item.Event))
            {
                subscription = subscription with { Cursor = item.Position };
                continue;
            }
            var now = clock.GetUtcNow();
            var result = subscription.Validated ? null : await sender.HandshakeAsync(subscription, ct);
            if (result is { Delivered: true })
            {
                subscription = subscription with { Validated = true };
                result = null;
            }
            result ??= await sender.SendAsync(subscription, item.Event, ct);
            if (result.Delivered)
            {
                await subscriptions.LogAttemptAsync(subscription.Id, Attempt(item.Event, now, "delivered", result), ct);
                subscription = subscription with
                {
                    Cursor = item.Position, Attempts = 0, FirstFailureAt = null, NextAttemptAt = null, LastStatus = result.StatusCode, LastError = null,
                };
                delivered++;
                continue;
            }

            var since = subscription.FirstFailureAt ?? now;
            var attempts = subscription.Attempts + 1;
            LogFailed(logger, subscription.Id, item.Event.Id, result.StatusCode, result.Error);
            if (now - since >= TimeSpan.FromHours(options.RetryHours))
            {
                await subscriptions.AddDeadLetterAsync(subscription.Id, new DeadLetter(item.Event.Id, item.Position, now, attempts, result.StatusCode, result.Error, item.Event), ct);
                await subscriptions.LogAttemptAsync(subscription.Id, Attempt(item.Event, now, "dead-lettered", result), ct);
                subscription = subscription with
                {
                    Cursor = item.Position, Attempts = 0, FirstFailureAt = null, NextAttemptAt = null, LastStatus = result.StatusCode, LastError = result.Error,
                };
                continue;
            }
            await subscriptions.LogAttemptAsync(subscription.Id, Attempt(item.Event, now, "failed", result), ct);
            return (subscription with
            {
                Attempts = attempts, FirstFailureAt = since, NextAttemptAt = now + Backoff(attempts), LastStatus = result.StatusCode, LastError = result.Error,
            }, delivered, true);
        }
        return (subscription with { Cursor = page.Cursor }, delivered, false);
    }

    /// <summary>Redelivers one dead letter now (out of order, by request); it stays a dead letter unless delivered.</summary>
    public async Task<DeliveryAttempt> RedeliverAsync(Subscription subscription, DeadLetter letter, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var result = subscription.Validated ? null : await sender.HandshakeAsync(subscription, ct);
        if (result is { Delivered: true })
        {
            result = null;
        }
        result ??= await sender.SendAsync(subscription, letter.Event, ct);
        var attempt = Attempt(letter.Event, now, result.Delivered ? "redelivered" : "failed", result);
        await subscriptions.LogAttemptAsync(subscription.Id, attempt, ct);
        if (result.Delivered)
        {
            await subscriptions.RemoveDeadLetterAsync(subscription.Id, letter.EventId, ct);
        }
        return attempt;
    }

    /// <summary>First delay doubled per attempt, capped, then scaled by a random 50–100 % (jitter).</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(options.MaxRetryDelaySeconds, options.FirstRetryDelaySeconds * Math.Pow(2, Math.Min(attempts - 1, 30)));
        return TimeSpan.FromSeconds(seconds * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private static DeliveryAttempt Attempt(ChangeEvent change, DateTimeOffset at, string outcome, SendResult result) =>
        new(change.Id, change.Type, change.Subject, at, outcome, result.StatusCode, result.Error, result.DurationMs);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Delivered {Count} events to subscription {SubscriptionId}")]
    private static partial void LogDelivered(ILogger logger, int count, string subscriptionId);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Delivery of event {EventId} to subscription {SubscriptionId} failed ({StatusCode}): {Error}")]
    private static partial void LogFailed(ILogger logger, string subscriptionId, string eventId, int? statusCode, string? error);
}
