using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ComponentCatalog.Errors;
using ComponentCatalog.Storage;

namespace ComponentCatalog.Events;

/// <summary>Which events a subscription wants: every list empty means "all"; lists combine with AND, values within one with OR.</summary>
internal sealed record SubscriptionFilter(
    IReadOnlyList<string> Types, IReadOnlyList<string> Owners, IReadOnlyList<string> Tags, IReadOnlyList<string> Names)
{
    public static SubscriptionFilter All { get; } = new([], [], [], []);

    /// <summary>An owner filter matches the owner before and after a move, so a team hears its component leave.</summary>
    public bool Matches(ChangeEvent change) =>
        (Types.Count == 0 || Types.Contains(change.Type, StringComparer.Ordinal))
        && (Owners.Count == 0 || Owners.Any(o => o == change.Data.Owner || o == change.Data.PreviousOwner))
        && (Tags.Count == 0 || change.Data.Tags.Any(t => Tags.Contains(t, StringComparer.Ordinal)))
        && (Names.Count == 0 || Names.Contains(change.Data.Name, StringComparer.Ordinal));
}

/// <summary>A subscriber and its delivery state. <see cref="Secret"/> signs deliveries and is never shown after creation.</summary>
internal sealed record Subscription
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Endpoint { get; init; }
    public required SubscriptionFilter Filter { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? Secret { get; init; }

    /// <summary>Where delivery resumes in the change feed.</summary>
    public string? Cursor { get; init; }
    public bool Validated { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? FirstFailureAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public int? LastStatus { get; init; }
    public string? LastError { get; init; }
    public string Version { get; init; } = string.Empty;

    /// <summary>What the API shows: everything but the secret.</summary>
    public object ToView() => new
    {
        id = Id, kind = Kind, endpoint = Endpoint,
        filter = new { types = Filter.Types, owners = Filter.Owners, tags = Filter.Tags, names = Filter.Names },
        createdBy = CreatedBy, createdAt = CreatedAt, validated = Validated,
        failing = Attempts > 0 ? new { attempts = Attempts, since = FirstFailureAt, nextAttemptAt = NextAttemptAt, lastStatus = LastStatus, lastError = LastError } : null,
    };
}

/// <summary>One attempt to deliver one event.</summary>
internal sealed record DeliveryAttempt(
    string EventId, string Type, string Subject, DateTimeOffset At, string Outcome, int? StatusCode, string? Error, long DurationMs);

/// <summary>An event given up on after the retry window; kept until redelivered.</summary>
internal sealed record DeadLetter(string EventId, string Position, DateTimeOffset DeadAt, int Attempts, int? LastStatus, string? LastError, ChangeEvent Event);

/// <summary>
/// Subscriptions (table <c>Subscriptions</c>, one partition: a few hundred rows at most) and their deliveries
/// (table <c>Deliveries</c>, partition = subscription id: attempts keyed newest first, dead letters by event id).
/// The attempts log is bounded: the newest <see cref="EventsOptions.KeepAttempts"/> are kept, older ones trimmed
/// by the instance that logs (on its first attempt for a subscription, then every quarter of that number), so a
/// subscription holds at most about 1.25 × that many per logging instance. Dead letters are never trimmed: they
/// stay until redelivered or the subscription is deleted.
/// </summary>
internal sealed class SubscriptionStore(CatalogTables tables, EventsOptions options)
{
    private const string Partition = "subscription";

    /// <summary>Attempts logged per subscription since this instance last trimmed (absent: never, so trim at the next).</summary>
    private readonly ConcurrentDictionary<string, int> _sinceTrim = new(StringComparer.Ordinal);

    private long _added;

    /// <summary>How many subscriptions this instance has added: the delivery's quiet spell ends when it moves.</summary>
    public long Added => Interlocked.Read(ref _added);

    public async Task AddAsync(Subscription subscription, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        await StorageErrors.GuardAsync(() => tables.Subscriptions.AddEntityAsync(ToRow(subscription), ct));
        Interlocked.Increment(ref _added);
    }

    /// <summary>Saves the delivery state, guarded by the version read; false when someone else changed or deleted it.</summary>
    public async Task<Subscription?> SaveAsync(Subscription subscription, CancellationToken ct = default)
    {
        try
        {
            var response = await StorageErrors.GuardAsync(() =>
                tables.Subscriptions.UpdateEntityAsync(ToRow(subscription), new ETag(subscription.Version), TableUpdateMode.Replace, ct));
            return subscription with { Version = response.Headers.ETag?.ToString() ?? string.Empty };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    public async Task<Subscription?> GetAsync(string id, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = await StorageErrors.GuardAsync(() => tables.Subscriptions.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct));
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    public async Task<List<Subscription>> ListAsync(CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var items = new List<Subscription>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in tables.Subscriptions.QueryAsync<TableEntity>(r => r.PartitionKey == Partition, cancellationToken: ct))
            {
                items.Add(FromRow(row));
            }
            return true;
        });
        return [.. items.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>Removes the subscription and its deliveries log.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        try
        {
            await StorageErrors.GuardAsync(() => tables.Subscriptions.DeleteEntityAsync(Partition, id, ETag.All, ct));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        var keys = new List<string>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in tables.Deliveries.QueryAsync<TableEntity>(r => r.PartitionKey == id, select: ["RowKey"], cancellationToken: ct))
            {
                keys.Add(row.RowKey);
            }
            return true;
        });
        foreach (var batch in keys.Chunk(100))
        {
            await StorageErrors.GuardAsync(() => tables.Deliveries.SubmitTransactionAsync(
                batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(id, k), ETag.All)), ct));
        }
        return true;
    }

    public async Task LogAttemptAsync(string subscriptionId, DeliveryAttempt attempt, CancellationToken ct = default)
    {
        var key = "a" + (DateTimeOffset.MaxValue.UtcTicks - attempt.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8];
        var row = new TableEntity(subscriptionId, key)
        {
            ["EventId"] = attempt.EventId, ["Type"] = attempt.Type, ["Subject"] = attempt.Subject, ["At"] = attempt.At,
            ["Outcome"] = attempt.Outcome, ["StatusCode"] = attempt.StatusCode, ["Error"] = attempt.Error, ["DurationMs"] = attempt.DurationMs,
        };
        await StorageErrors.GuardAsync(() => tables.Deliveries.AddEntityAsync(row, ct));
        var every = Math.Max(1, options.KeepAttempts / 4);
        if (_sinceTrim.AddOrUpdate(subscriptionId, every, (_, n) => n + 1) >= every)
        {
            try
            {
                await TrimAttemptsAsync(subscriptionId, ct);
                _sinceTrim[subscriptionId] = 0;
            }
            catch (StorageUnavailableException)
            {
                // Housekeeping never fails a delivery: the next attempt logged trims again.
            }
        }
    }

    /// <summary>Deletes all but the newest <see cref="EventsOptions.KeepAttempts"/> attempts of one subscription (dead letters untouched).</summary>
    public async Task TrimAttemptsAsync(string subscriptionId, CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subscriptionId} and RowKey ge {"a"} and RowKey lt {"b"}");
        var keys = new List<string>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in tables.Deliveries.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                keys.Add(row.RowKey);
            }
            return true;
        });
        // Keys are newest first (inverted ticks); sorted here because Cosmos DB for Table does not sort.
        foreach (var batch in keys.Order(StringComparer.Ordinal).Skip(options.KeepAttempts).Chunk(100))
        {
            try
            {
                await StorageErrors.GuardAsync(() => tables.Deliveries.SubmitTransactionAsync(
                    batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(subscriptionId, k), ETag.All)), ct));
            }
            catch (TableTransactionFailedException)
            {
                // Another instance trimmed some of them meanwhile: delete the rest one by one.
                foreach (var key in batch)
                {
                    await DeleteIfExistsAsync(subscriptionId, key, ct);
                }
            }
        }
    }

    private async Task DeleteIfExistsAsync(string partition, string key, CancellationToken ct)
    {
        try
        {
            await StorageErrors.GuardAsync(() => tables.Deliveries.DeleteEntityAsync(partition, key, ETag.All, ct));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task AddDeadLetterAsync(string subscriptionId, DeadLetter letter, CancellationToken ct = default)
    {
        var row = new TableEntity(subscriptionId, "d." + letter.EventId)
        {
            ["Position"] = letter.Position, ["DeadAt"] = letter.DeadAt, ["Attempts"] = letter.Attempts,
            ["LastStatus"] = letter.LastStatus, ["LastError"] = letter.LastError, ["Event"] = letter.Event.ToStored(),
        };
        await StorageErrors.GuardAsync(() => tables.Deliveries.UpsertEntityAsync(row, TableUpdateMode.Replace, ct));
    }

    public Task RemoveDeadLetterAsync(string subscriptionId, string eventId, CancellationToken ct = default) =>
        DeleteIfExistsAsync(subscriptionId, "d." + eventId, ct);

    /// <summary>The newest attempts (newest first) and every dead letter of one subscription.</summary>
    public async Task<(List<DeliveryAttempt> Attempts, List<DeadLetter> DeadLetters)> ListDeliveriesAsync(string subscriptionId, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var attempts = new List<(string Key, DeliveryAttempt Attempt)>();
        var dead = new List<DeadLetter>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in tables.Deliveries.QueryAsync<TableEntity>(r => r.PartitionKey == subscriptionId, cancellationToken: ct))
            {
                if (row.RowKey.StartsWith("d.", StringComparison.Ordinal))
                {
                    dead.Add(new DeadLetter(row.RowKey[2..], row.GetString("Position") ?? string.Empty, row.GetDateTimeOffset("DeadAt") ?? default,
                        row.GetInt32("Attempts") ?? 0, row.GetInt32("LastStatus"), row.GetString("LastError"), ChangeEvent.FromStored(row.GetString("Event")!)));
                }
                else
                {
                    attempts.Add((row.RowKey, new DeliveryAttempt(row.GetString("EventId") ?? string.Empty, row.GetString("Type") ?? string.Empty,
                        row.GetString("Subject") ?? string.Empty, row.GetDateTimeOffset("At") ?? default, row.GetString("Outcome") ?? string.Empty,
                        row.GetInt32("StatusCode"), row.GetString("Error"), row.GetInt64("DurationMs") ?? 0)));
                }
            }
            return true;
        });
        return ([.. attempts.OrderBy(a => a.Key, StringComparer.Ordinal).Take(options.KeepAttempts).Select(a => a.Attempt)],
                [.. dead.OrderBy(d => d.Position, StringComparer.Ordinal)]);
    }

    public async Task<DeadLetter?> GetDeadLetterAsync(string subscriptionId, string eventId, CancellationToken ct = default)
    {
        var (_, dead) = await ListDeliveriesAsync(subscriptionId, ct);
        return dead.FirstOrDefault(d => d.EventId == eventId);
    }

    private static TableEntity ToRow(Subscription s) => new(Partition, s.Id)
    {
        ["Kind"] = s.Kind,
        ["Endpoint"] = s.Endpoint,
        ["Filter"] = JsonSerializer.Serialize(s.Filter),
        ["CreatedBy"] = s.CreatedBy,
        ["CreatedAt"] = s.CreatedAt,
        ["Secret"] = s.Secret,
        ["Cursor"] = s.Cursor,
        ["Validated"] = s.Validated,
        ["Attempts"] = s.Attempts,
        ["FirstFailureAt"] = s.FirstFailureAt,
        ["NextAttemptAt"] = s.NextAttemptAt,
        ["LastStatus"] = s.LastStatus,
        ["LastError"] = s.LastError,
    };

    private static Subscription FromRow(TableEntity row) => new()
    {
        Id = row.RowKey,
        Kind = row.GetString("Kind") ?? "webhook",
        Endpoint = row.GetString("Endpoint") ?? string.Empty,
        Filter = JsonSerializer.Deserialize<SubscriptionFilter>(row.GetString("Filter") ?? "null") ?? SubscriptionFilter.All,
        CreatedBy = row.GetString("CreatedBy") ?? string.Empty,
        CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
        Secret = row.GetString("Secret"),
        Cursor = row.GetString("Cursor"),
        Validated = row.GetBoolean("Validated") ?? false,
        Attempts = row.GetInt32("Attempts") ?? 0,
        FirstFailureAt = row.GetDateTimeOffset("FirstFailureAt"),
        NextAttemptAt = row.GetDateTimeOffset("NextAttemptAt"),
        LastStatus = row.GetInt32("LastStatus"),
        LastError = row.GetString("LastError"),
        Version = row.ETag.ToString(),
    };
}
