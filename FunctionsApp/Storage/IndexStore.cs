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

    /// <summary>
    /// Heads a page of the scan: about 4 MB of response at ~13 KB each. The SDK parses each page from a buffer rented
    /// from the shared array pool, which keeps the largest ones (per thread and core) after the scan, until full GCs
    /// a minute later that an idle instance does not have. Measured at 100,000 (docs/adr/0071-index-memory-and-snapshot.md,
    /// revision 4): pages of 1,000 kept 16 MiB buffers (80 MiB at 20,000 in a heap dump); of 500, worker RSS 548 MiB
    /// after the load; of 200, 511 MiB. A page costs Azurite ~0.18 s at this size, whatever its length: the load
    /// took 120–127 s with pages of 1,000, 131 s with 500 and 186 s with 200.
    /// </summary>
    private const int ScanPageSize = 300;

    /// <summary>Hands every live document's entry to <paramref name="each"/> as its page arrives (nothing gathered): the one full read, when an instance builds its index. Returns the count.</summary>
    public async Task<int> LoadAllAsync(Action<IndexEntry> each, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var count = 0;
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"RowKey eq {ComponentStore.HeadKey} and Deleted eq {false}");
            await foreach (var row in tables.Components.QueryAsync<TableEntity>(filter, maxPerPage: ScanPageSize, select: IndexColumns, cancellationToken: ct))
            {
                if (ToIndexedHead(row).Entry is not { } entry) continue;
                each(entry);
                count++;
            }
            return true;
        }, ct);
        return count;
    }

    /// <summary>The partition of the index snapshot: a pointer row and the chunk rows of each snapshot.</summary>
    internal const string SnapshotPartition = "~index-snapshot";

    private const string SnapshotPointer = "current";

    /// <summary>
    /// Chunk rows of 10 binary properties of 64,000 bytes: under the 1 MiB entity limit even as base64 (Azurite
    /// counts the request's bytes and rejected the 15-property rows of format 1 at 960,000 bytes).
    /// </summary>
    private const int SnapshotPropertyBytes = 64_000;

    private const int SnapshotProperties = 10;

    private const int SnapshotRowBytes = SnapshotPropertyBytes * SnapshotProperties;

    /// <summary>Chunk rows written or read at once: one round trip at a time leaves Azurite and the network idle.</summary>
    private const int SnapshotParallelism = 4;

    /// <summary>Per part in the pointer's <c>Parts</c> property: its length (4 bytes) and the first 8 bytes of its SHA-256.</summary>
    private const int PartEntryBytes = 12;

    /// <summary>
    /// Stores a snapshot made of independently decodable parts (concatenated, then cut into chunk rows), the first
    /// <paramref name="eager"/> of them needed before the index answers: the chunk rows first, then the pointer row
    /// (the commit point: a reader never sees a half-written snapshot) with each part's length and hash, the covered
    /// change-log position and the format; then the chunks of earlier snapshots are deleted.
    /// </summary>
    internal async Task WriteSnapshotAsync(IReadOnlyList<byte[]> parts, int eager, DateTimeOffset covers, int format, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var id = Guid.NewGuid().ToString("N");
        var total = parts.Sum(p => (long)p.Length);
        if (total > int.MaxValue || parts.Count * PartEntryBytes > SnapshotPropertyBytes) throw new ArgumentException("A snapshot too large for its rows.", nameof(parts));
        var data = new byte[total];
        var table = new byte[parts.Count * PartEntryBytes];
        var at = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            parts[p].CopyTo(data, at);
            at += parts[p].Length;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(table.AsSpan(p * PartEntryBytes), parts[p].Length);
            System.Security.Cryptography.SHA256.HashData(parts[p]).AsSpan(0, 8).CopyTo(table.AsSpan(p * PartEntryBytes + 4));
        }
        var chunks = (data.Length + SnapshotRowBytes - 1) / SnapshotRowBytes;
        await Parallel.ForAsync(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = SnapshotParallelism, CancellationToken = ct }, async (c, token) =>
        {
            var row = new TableEntity(SnapshotPartition, ChunkKey(id, c));
            for (var p = 0; p < SnapshotProperties; p++)
            {
                var start = c * SnapshotRowBytes + p * SnapshotPropertyBytes;
                if (start >= data.Length) break;
                row["D" + p.ToString(CultureInfo.InvariantCulture)] = data.AsSpan(start, Math.Min(SnapshotPropertyBytes, data.Length - start)).ToArray();
            }
            await StorageErrors.GuardAsync(() => tables.Components.UpsertEntityAsync(row, TableUpdateMode.Replace, token), token);
        });
        var pointer = new TableEntity(SnapshotPartition, SnapshotPointer)
        {
            ["Id"] = id,
            ["Chunks"] = chunks,
            ["Length"] = data.Length,
            ["Parts"] = table,
            ["Eager"] = eager,
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
        foreach (var batch in old.Chunk(100))
        {
            var actions = batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(SnapshotPartition, key), ETag.All)).ToList();
            await StorageErrors.GuardAsync(() => tables.Components.SubmitTransactionAsync(actions, ct), ct);
        }
    }

    /// <summary>
    /// The stored snapshot's pointer, for reading its parts; null when there is none, it has another format, or the
    /// change-log position it covers is not <paramref name="usable"/> (too old: nothing more is read then).
    /// Throws <see cref="InvalidDataException"/> when the pointer is damaged.
    /// </summary>
    internal async Task<StoredSnapshot?> OpenSnapshotAsync(int format, Func<DateTimeOffset, bool> usable, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var pointer = await StorageErrors.GuardAsync(() => tables.Components.GetEntityIfExistsAsync<TableEntity>(SnapshotPartition, SnapshotPointer, cancellationToken: ct), ct);
        if (!pointer.HasValue || pointer.Value!.GetInt32("Format") != format) return null;
        var head = pointer.Value!;
        var length = head.GetInt32("Length") ?? -1;
        var table = head.GetBinary("Parts") ?? [];
        var eager = head.GetInt32("Eager") ?? -1;
        if (length < 0 || head.GetInt32("Chunks") != (length + SnapshotRowBytes - 1) / SnapshotRowBytes || table.Length % PartEntryBytes != 0
            || eager < 1 || eager > table.Length / PartEntryBytes || head.GetDateTimeOffset("Covers") is not { } covers)
        {
            throw new InvalidDataException("A damaged snapshot pointer.");
        }
        var parts = new (int Start, int Length, byte[] Hash)[table.Length / PartEntryBytes];
        var total = 0L;
        for (var p = 0; p < parts.Length; p++)
        {
            var partLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(table.AsSpan(p * PartEntryBytes));
            if (partLength < 0) throw new InvalidDataException("A damaged snapshot pointer.");
            parts[p] = ((int)total, partLength, table.AsSpan(p * PartEntryBytes + 4, 8).ToArray());
            total += partLength;
        }
        if (total != length) throw new InvalidDataException("Snapshot parts that do not add up to its length.");
        return usable(covers) ? new StoredSnapshot(this, head.GetString("Id") ?? string.Empty, covers, eager, parts) : null;
    }

    /// <summary>One chunk row's bytes (<paramref name="expected"/> long); <see cref="InvalidDataException"/> when missing or of another length.</summary>
    private async Task<byte[]> ReadChunkAsync(string id, int chunk, int expected, CancellationToken ct)
    {
        var row = await StorageErrors.GuardAsync(() => tables.Components.GetEntityIfExistsAsync<TableEntity>(SnapshotPartition, ChunkKey(id, chunk), cancellationToken: ct), ct);
        if (!row.HasValue) throw new InvalidDataException("A snapshot chunk is missing.");
        var data = new byte[expected];
        var at = 0;
        for (var p = 0; p < SnapshotProperties && row.Value!.GetBinary("D" + p.ToString(CultureInfo.InvariantCulture)) is { } bytes; p++)
        {
            if (at + bytes.Length > expected) throw new InvalidDataException("A snapshot chunk longer than its pointer says.");
            bytes.CopyTo(data, at);
            at += bytes.Length;
        }
        return at == expected ? data : throw new InvalidDataException("A snapshot chunk shorter than its pointer says.");
    }

    /// <summary>
    /// A stored snapshot being read: its parts by number, each from the chunk rows that hold it (a row is read once
    /// however many parts share it) and checked against its hash in the pointer.
    /// </summary>
    internal sealed class StoredSnapshot
    {
        private readonly IndexStore _store;
        private readonly string _id;
        private readonly (int Start, int Length, byte[] Hash)[] _parts;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Task<byte[]>>> _chunks = new();

        /// <summary>Per chunk row, the parts still to read from it: a row is dropped once its last part has it.</summary>
        private readonly int[] _readers;

        internal StoredSnapshot(IndexStore store, string id, DateTimeOffset covers, int eager, (int Start, int Length, byte[] Hash)[] parts)
        {
            _store = store;
            _id = id;
            Covers = covers;
            Eager = eager;
            _parts = parts;
            var length = parts.Length == 0 ? 0 : parts[^1].Start + parts[^1].Length;
            _readers = new int[(length + SnapshotRowBytes - 1) / SnapshotRowBytes];
            foreach (var (start, partLength, _) in parts)
            {
                for (var c = start / SnapshotRowBytes; partLength > 0 && c <= (start + partLength - 1) / SnapshotRowBytes; c++) _readers[c]++;
            }
        }

        /// <summary>The change-log position the snapshot covers.</summary>
        public DateTimeOffset Covers { get; }

        /// <summary>How many parts (from the first) the index needs before it answers.</summary>
        public int Eager { get; }

        public int Parts => _parts.Length;

        /// <summary>Part <paramref name="part"/> as stored (compressed); <see cref="InvalidDataException"/> when its rows are missing or it does not match its hash.</summary>
        public async Task<byte[]> ReadPartAsync(int part, CancellationToken ct = default)
        {
            var (start, length, hash) = _parts[part];
            var data = new byte[length];
            if (length > 0)
            {
                var last = _parts[^1].Start + _parts[^1].Length;
                for (var c = start / SnapshotRowBytes; c <= (start + length - 1) / SnapshotRowBytes; c++)
                {
                    var chunk = c;
                    var rowStart = chunk * SnapshotRowBytes;
                    var rowBytes = Math.Min(SnapshotRowBytes, last - rowStart);
                    var row = await _chunks.GetOrAdd(chunk, _ => new Lazy<Task<byte[]>>(() => _store.ReadChunkAsync(_id, chunk, rowBytes, CancellationToken.None))).Value.WaitAsync(ct);
                    var from = Math.Max(start, rowStart);
                    var to = Math.Min(start + length, rowStart + rowBytes);
                    row.AsSpan(from - rowStart, to - from).CopyTo(data.AsSpan(from - start));
                    if (Interlocked.Decrement(ref _readers[chunk]) == 0) _chunks.TryRemove(chunk, out _);
                }
            }
            if (!System.Security.Cryptography.SHA256.HashData(data).AsSpan(0, 8).SequenceEqual(hash)) throw new InvalidDataException("A snapshot part that does not match its hash.");
            return data;
        }
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
