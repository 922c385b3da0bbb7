using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ComponentCatalog.Errors;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;

namespace ComponentCatalog.Events;

/// <summary>One committed change and its place in the log (the position a cursor resumes after).</summary>
internal sealed record FeedItem(string Position, ChangeEvent Event);

/// <summary>A page of the feed and the cursor to resume after it (always set; unchanged when nothing new settled).</summary>
internal sealed record FeedPage(IReadOnlyList<FeedItem> Items, string Cursor);

/// <summary>
/// The change events in commit order (docs/adr/0060-change-events.md). Walks the change log (<c>Changes</c>,
/// announced before every commit) in key order and, for each row, checks whether its write committed: the
/// write's event row exists in the document's partition (same transaction as the revision). A committed write
/// is emitted; an undecided one — it may still commit — ends the page there, so nothing is ever skipped; a
/// write that can no longer commit is passed over. Rows younger than the horizon (the announcement bound plus
/// clock skew) are not read yet: a row keyed earlier may still become visible.
/// </summary>
internal sealed partial class ChangeFeed(CatalogTables tables, ComponentStore documents, TimeProvider clock, EventsOptions options)
{
    public const int MaxLimit = 500;

    /// <summary>
    /// Minutes of the log read per query; Cosmos DB for Table does not sort, so each window is read whole and sorted
    /// here. An empty window makes the next one four times wider (up to a week), so a quiet log costs few queries.
    /// </summary>
    private const int WindowMinutes = 60;
    private const int MaxWindowMinutes = 7 * 24 * 60;

    public async Task<FeedPage> ReadAsync(string? after, int limit, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var position = after is null ? Ticks(now.AddDays(-options.FeedHistoryDays)) + "~" : Parse(after);
        var horizon = (now - options.Horizon).UtcTicks;
        var items = new List<FeedItem>();
        await tables.EnsureCreatedAsync(ct);

        var minute = Minute(TicksOf(position));
        var window = WindowMinutes;
        while (minute.UtcTicks <= horizon)
        {
            var last = minute.AddMinutes(window - 1);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey ge {IndexStore.Bucket(minute)} and PartitionKey le {IndexStore.Bucket(last)} and RowKey gt {position}");
            var rows = await StorageErrors.GuardAsync(async () =>
            {
                var found = new List<TableEntity>();
                await foreach (var row in tables.Changes.QueryAsync<TableEntity>(filter, select: ["RowKey", "Name", "Revision", "WriteId", "Event"], cancellationToken: ct))
                {
                    found.Add(row);
                }
                return found;
            });
            foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
            {
                var ticks = TicksOf(row.RowKey);
                if (ticks > horizon)
                {
                    return new FeedPage(items, position);
                }
                var (verdict, change) = await ResolveAsync(row, now - new DateTimeOffset(ticks, TimeSpan.Zero), ct);
                if (verdict == Verdict.Wait)
                {
                    return new FeedPage(items, position);
                }
                position = row.RowKey;
                if (change is not null)
                {
                    items.Add(new FeedItem(position, change));
                    if (items.Count >= limit)
                    {
                        return new FeedPage(items, position);
                    }
                }
            }
            minute = last.AddMinutes(1);
            window = rows.Count == 0 ? Math.Min(window * 4, MaxWindowMinutes) : WindowMinutes;
        }

        // Everything up to the horizon is decided: resume after it, not after the last row (no rescans of empty minutes).
        var settled = Ticks(new DateTimeOffset(horizon, TimeSpan.Zero)) + "~";
        return new FeedPage(items, string.CompareOrdinal(settled, position) > 0 ? settled : position);
    }

    private enum Verdict { Emit, Skip, Wait }

    /// <summary>
    /// Whether a logged write committed. Read its event first (the common case: one point read); when absent, the
    /// head and then the event again (a commit between the two reads is seen by the second).
    /// </summary>
    private async Task<(Verdict, ChangeEvent?)> ResolveAsync(TableEntity row, TimeSpan age, CancellationToken ct)
    {
        if (row.GetString("Event") is { } logged)
        {
            return (Verdict.Emit, ChangeEvent.FromStored(logged));
        }
        var name = row.GetString("Name") ?? string.Empty;
        var writeId = row.GetString("WriteId") ?? string.Empty;
        var revision = row.GetInt32("Revision") ?? 0;
        if (await documents.GetEventAsync(name, writeId, ct) is { } change)
        {
            return (Verdict.Emit, change);
        }
        var head = await documents.GetHeadAsync(name, ct);
        if (await documents.GetEventAsync(name, writeId, ct) is { } late)
        {
            return (Verdict.Emit, late);
        }
        if (head is not null && (head.WriteId == writeId || head.Revision > revision))
        {
            // Committed without an event (the reconcile job's repair), or overtaken: it can no longer commit.
            return (Verdict.Skip, null);
        }
        return age > ComponentSearch.Settle + TimeSpan.FromMilliseconds(options.ClockSkewMilliseconds)
            ? (Verdict.Skip, null)
            : (Verdict.Wait, null);
    }

    /// <summary>A cursor as handed out: a log key, or a time followed by <c>~</c> (everything up to it is done).</summary>
    internal static string Parse(string cursor) =>
        CursorRegex().IsMatch(cursor) ? cursor : throw new ValidationException("after", "Not a cursor this feed handed out.");

    private static long TicksOf(string key) => long.Parse(key.AsSpan(0, 19), CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset t) => t.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static DateTimeOffset Minute(long ticks) => new(ticks - ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    [GeneratedRegex(@"\A\d{19}(~|\.[a-z0-9-]{1,63}\.[A-Za-z0-9-]{1,80})\z")]
    private static partial Regex CursorRegex();
}
