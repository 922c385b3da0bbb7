using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Storage;

/// <summary>
/// A write about to be committed: the name, the revision the head will be at, the write id it will carry.
/// <paramref name="Event"/> is set only for a change that has no partition to commit its event in (a purge):
/// the stored change event, logged with the row (docs/adr/0060-change-events.md).
/// </summary>
internal sealed record ChangeIntent(string Name, int Revision, string WriteId, string? Event = null);

/// <summary>One row of the change log: an intent, with its key and when it was announced.</summary>
internal sealed record ChangeRow(string Key, string Name, int Revision, string WriteId, DateTimeOffset At);

/// <summary>A stored snapshot of an index (docs/adr/0071-index-memory-and-snapshot.md): its bytes and the change-log position it covers.</summary>
internal sealed record IndexSnapshot(byte[] Data, DateTimeOffset Covers);

/// <summary>What the search index needs of a head: its revision, write id, whether it is live, and its entry.</summary>
internal sealed record IndexedHead(string Name, int Revision, string WriteId, IndexEntry? Entry);

/// <summary>
/// The rows behind search and the graph (docs/adr/0006-write-path.md). Each document's <see cref="IndexEntry"/>
/// lives on its head row (column <see cref="SummaryColumn"/>, gzip'd JSON), committed in the same transaction
/// as the revision, so a committed revision and its entry cannot be separated. <c>Changes</c> is an
/// append-only log (PK = UTC minute, RK = ticks.name.writeId) of intents written just <em>before</em> each
/// commit; other instances poll it and read the named heads, so no committed change goes unannounced.
/// </summary>
internal sealed class IndexStore(CatalogTables tables)
{
    internal const string SummaryColumn = "Summary";

    /// <summary>An entry is one binary property: 64 KiB at most on Table Storage.</summary>
    private const int MaxEntryBytes = 64_000;

    private static readonly string[] IndexColumns = ["PartitionKey", "Revision", "Deleted", "Purging", "WriteId", SummaryColumn];

    /// <summary>
    /// The entry as stored: gzip'd JSON with every word. Words compress well (a 12 KB document's entry is about
    /// 6 KB, a 50 KB one of distinct random words about 30 KB); an entry that still does not fit keeps its
    /// heaviest words, as many as fit.
    /// </summary>
    internal static byte[] EncodeEntry(IndexEntry entry)
    {
        var bytes = Gzip.Compress(JsonSerializer.SerializeToUtf8Bytes(entry, CatalogJson.Options));
        var keep = entry.Terms.Count;
        while (bytes.Length > MaxEntryBytes && keep > 0)
        {
            keep = (int)(keep * Math.Min(0.9, (double)MaxEntryBytes / bytes.Length));
            var heaviest = entry.Terms.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(keep)
                .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            bytes = Gzip.Compress(JsonSerializer.SerializeToUtf8Bytes(entry with { Terms = heaviest }, CatalogJson.Options));
        }
        return bytes.Length <= MaxEntryBytes
            ? bytes
            : throw new PayloadTooLargeException(MaxEntryBytes);
    }

    /// <summary>Logs changes about to be committed, in as few transactions as the minute partitions allow. Returns their keys.</summary>
    public async Task<IReadOnlyList<string>> AnnounceAsync(IReadOnlyCollection<ChangeIntent> intents, DateTimeOffset at, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var rows = intents.Select(i => new TableEntity(Bucket(at), ChangeKey(at, i.Name, i.WriteId))
        {
            ["Name"] = i.Name,
            ["Revision"] = i.Revision,
            ["WriteId"] = i.WriteId,
            ["Event"] = i.Event,
        }).ToList();
        foreach (var batch in rows.Chunk(100))
        {
            if (batch.Length == 1)
            {
                await StorageErrors.GuardAsync(() => tables.Changes.UpsertEntityAsync(batch[0], TableUpdateMode.Replace, ct), ct);
                continue;
            }
            var actions = batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
            await StorageErrors.GuardAsync(() => tables.Changes.SubmitTransactionAsync(actions, ct), ct);
        }
        return [.. rows.Select(r => r.RowKey)];
    }

    /// <summary>The index's view of one head (a point read of a few columns); null when there is no head.</summary>
    public async Task<IndexedHead?> GetAsync(string name, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = await StorageErrors.GuardAsync(() => tables.Components.GetEntityIfExistsAsync<TableEntity>(name, ComponentStore.HeadKey, IndexColumns, ct), ct);
        return row.HasValue ? ToIndexedHead(row.Value!) : null;
    }

    /// <summary>Every live document's entry: the one full read, when an instance builds its index.</summary>
    public async Task<List<IndexEntry>> LoadAllAsync(CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var entries = new List<IndexEntry>();
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"RowKey eq {ComponentStore.HeadKey} and Deleted eq {false}");
            await foreach (var row in tables.Components.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: IndexColumns, cancellationToken: ct))
            {
                if (ToIndexedHead(row).Entry is { } entry) entries.Add(entry);
            }
            return true;
        }, ct);
        return entries;
    }

    /// <summary>The partition of the index snapshot: a pointer row and the chunk rows of each snapshot.</summary>
    internal const string SnapshotPartition = "~index-snapshot";

    private const string SnapshotPointer = "current";

    /// <summary>Chunk rows of 15 binary properties of 64,000 bytes: under the 1 MiB entity limit.</summary>
    private const int SnapshotPropertyBytes = 64_000;

    private const int SnapshotProperties = 15;

    /// <summary>
    /// Stores a snapshot: its chunk rows first, then the pointer row (the commit point: a reader never sees a
    /// half-written snapshot), then the chunks of earlier snapshots are deleted.
    /// </summary>
    public async Task WriteSnapshotAsync(byte[] data, DateTimeOffset covers, int format, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var id = Guid.NewGuid().ToString("N");
        const int rowBytes = SnapshotPropertyBytes * SnapshotProperties;
        var chunks = (data.Length + rowBytes - 1) / rowBytes;
        for (var c = 0; c < chunks; c++)
        {
            var row = new TableEntity(SnapshotPartition, ChunkKey(id, c));
            for (var p = 0; p < SnapshotProperties; p++)
            {
                var start = c * rowBytes + p * SnapshotPropertyBytes;
                if (start >= data.Length) break;
                row["D" + p.ToString(CultureInfo.InvariantCulture)] = data.AsSpan(start, Math.Min(SnapshotPropertyBytes, data.Length - start)).ToArray();
            }
            await StorageErrors.GuardAsync(() => tables.Components.UpsertEntityAsync(row, TableUpdateMode.Replace, ct), ct);
        }
        var pointer = new TableEntity(SnapshotPartition, SnapshotPointer)
        {
            ["Id"] = id,
            ["Chunks"] = chunks,
            ["Length"] = data.Length,
            ["Sha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)),
            ["Covers"] = covers,
            ["Format"] = format,
        };
        await StorageErrors.GuardAsync(() => tables.Components.UpsertEntityAsync(pointer, TableUpdateMode.Replace, ct), ct);
        var old = new List<string>();
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SnapshotPartition} and RowKey ne {SnapshotPointer}");
            await foreach (var row in tables.Components.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                if (!row.RowKey.StartsWith(id + ".", StringComparison.Ordinal)) old.Add(row.RowKey);
            }
            return true;
        }, ct);
        foreach (var key in old)
        {
            await StorageErrors.GuardAsync(() => tables.Components.DeleteEntityAsync(SnapshotPartition, key, ETag.All, ct), ct);
        }
    }

    /// <summary>
    /// The stored snapshot of <paramref name="format"/>; null when there is none or it has another format. Throws
    /// <see cref="InvalidDataException"/> when its rows are missing or do not match the pointer's length and hash.
    /// </summary>
    public async Task<IndexSnapshot?> ReadSnapshotAsync(int format, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var pointer = await StorageErrors.GuardAsync(() => tables.Components.GetEntityIfExistsAsync<TableEntity>(SnapshotPartition, SnapshotPointer, cancellationToken: ct), ct);
        if (!pointer.HasValue || pointer.Value!.GetInt32("Format") != format) return null;
        var head = pointer.Value!;
        var id = head.GetString("Id") ?? string.Empty;
        var length = head.GetInt32("Length") ?? -1;
        var chunks = head.GetInt32("Chunks") ?? -1;
        if (length < 0 || chunks < 0 || head.GetDateTimeOffset("Covers") is not { } covers) throw new InvalidDataException("A damaged snapshot pointer.");
        var data = new byte[length];
        var at = 0;
        var rows = 0;
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SnapshotPartition} and RowKey ge {id + "."} and RowKey lt {id + "/"}");
            await foreach (var row in tables.Components.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                if (row.RowKey != ChunkKey(id, rows)) throw new InvalidDataException("A snapshot chunk is missing.");
                rows++;
                for (var p = 0; p < SnapshotProperties && row.GetBinary("D" + p.ToString(CultureInfo.InvariantCulture)) is { } part; p++)
                {
                    if (at + part.Length > length) throw new InvalidDataException("A snapshot longer than its pointer says.");
                    part.CopyTo(data, at);
                    at += part.Length;
                }
            }
            return true;
        }, ct);
        if (rows != chunks || at != length || !Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).Equals(head.GetString("Sha256"), StringComparison.Ordinal))
        {
            throw new InvalidDataException("A snapshot that does not match its pointer.");
        }
        return new IndexSnapshot(data, covers);
    }

    private static string ChunkKey(string id, int chunk) => id + "." + chunk.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Changes announced in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task<List<ChangeRow>> ChangesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var changes = new List<ChangeRow>();
        var fromKey = from.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        for (var minute = Truncate(from); minute <= to; minute = minute.AddMinutes(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Bucket(minute)} and RowKey ge {fromKey}");
            await StorageErrors.GuardAsync(async () =>
            {
                await foreach (var row in tables.Changes.QueryAsync<TableEntity>(filter, select: ["RowKey", "Name", "Revision", "WriteId"], cancellationToken: ct))
                {
                    var ticks = long.Parse(row.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture);
                    changes.Add(new ChangeRow(row.RowKey, row.GetString("Name") ?? string.Empty, row.GetInt32("Revision") ?? 0,
                        row.GetString("WriteId") ?? string.Empty, new DateTimeOffset(ticks, TimeSpan.Zero)));
                }
                return true;
            }, ct);
        }
        return changes;
    }

    private static IndexedHead ToIndexedHead(TableEntity row)
    {
        var live = row.GetBoolean("Deleted") != true && row.GetBoolean("Purging") != true;
        IndexEntry? entry = null;
        if (live && row.GetBinary(SummaryColumn) is { } data)
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            entry = JsonSerializer.Deserialize<IndexEntry>(input, CatalogJson.Options);
        }
        return new IndexedHead(row.PartitionKey, row.GetInt32("Revision") ?? 0, row.GetString("WriteId") ?? string.Empty, entry);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcDateTime.Ticks - t.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    internal static string Bucket(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string ChangeKey(DateTimeOffset t, string name, string writeId) =>
        t.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "." + name + "." + writeId;
}
