using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Storage;

/// <summary>
/// The derived rows behind search and the graph (docs/adr/0005-search-index.md):
/// <c>Summaries</c> holds one row per document (PK = one of 16 shards of the name, RK = name) with its <see cref="IndexEntry"/> as
/// gzip'd JSON; <c>Changes</c> is an append-only log (PK = UTC minute, RK = ticks.name) that other
/// instances poll to stay current. Both are rebuildable from the documents.
/// </summary>
public sealed class IndexStore(CatalogTables tables)
{
    private const int Shards = 16;

    /// <summary>Where a document's summary lives: sharded so a bulk write goes in transactions of 100.</summary>
    internal static (string PartitionKey, string RowKey) SummaryKeys(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name) hash = (hash ^ c) * 16777619u;
        return ("s" + (hash % Shards).ToString("x", CultureInfo.InvariantCulture), name);
    }

    public Task PublishAsync(string name, IndexEntry? entry, DateTimeOffset at, CancellationToken ct = default) =>
        PublishManyAsync([(name, entry)], at, ct);

    /// <summary>Summary rows and change rows for many documents, in as few transactions as the partitions allow.</summary>
    public async Task PublishManyAsync(IReadOnlyCollection<(string Name, IndexEntry? Entry)> items, DateTimeOffset at, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var summaries = items.Select(i =>
        {
            var (pk, rk) = SummaryKeys(i.Name);
            return new TableEntity(pk, rk)
            {
                ["Deleted"] = i.Entry is null,
                ["Revision"] = i.Entry?.Revision ?? 0,
                ["Data"] = i.Entry is null ? null : Gzip.Compress(JsonSerializer.SerializeToUtf8Bytes(i.Entry, CatalogJson.Options)),
            };
        });
        await UpsertAsync(tables.Summaries, summaries, ct);
        await UpsertAsync(tables.Changes, items.Select(i => new TableEntity(Bucket(at), ChangeKey(at, i.Name)) { ["Name"] = i.Name }), ct);
    }

    private static async Task UpsertAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var batch in partition.DistinctBy(r => r.RowKey).Chunk(100))
            {
                if (batch.Length == 1)
                {
                    await StorageErrors.GuardAsync(() => table.UpsertEntityAsync(batch[0], TableUpdateMode.Replace, ct));
                    continue;
                }
                var actions = batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList();
                await StorageErrors.GuardAsync(() => table.SubmitTransactionAsync(actions, ct));
            }
        }
    }

    /// <summary>Purge: the summary row goes too, and a change row tells other instances to drop it.</summary>
    public async Task ForgetAsync(string name, DateTimeOffset at, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        try
        {
            var (pk, rk) = SummaryKeys(name);
            await StorageErrors.GuardAsync(() => tables.Summaries.DeleteEntityAsync(pk, rk, Azure.ETag.All, ct));
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
        var change = new TableEntity(Bucket(at), ChangeKey(at, name)) { ["Name"] = name };
        await StorageErrors.GuardAsync(() => tables.Changes.UpsertEntityAsync(change, TableUpdateMode.Replace, ct));
    }

    public async Task<IndexEntry?> GetAsync(string name, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var (pk, rk) = SummaryKeys(name);
        var row = await StorageErrors.GuardAsync(() => tables.Summaries.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct));
        return row.HasValue ? ToEntry(row.Value!) : null;
    }

    /// <summary>Every live summary: the one full read, when an instance builds its index.</summary>
    public async Task<List<IndexEntry>> LoadAllAsync(CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var entries = new List<IndexEntry>();
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"Deleted eq {false}");
            await foreach (var row in tables.Summaries.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                if (ToEntry(row) is { } entry) entries.Add(entry);
            }
            return true;
        });
        return entries;
    }

    /// <summary>Names changed in [<paramref name="from"/>, <paramref name="to"/>], with each change's key.</summary>
    public async Task<List<(string Key, string Name)>> ChangesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var changes = new List<(string, string)>();
        var fromKey = ChangeKey(from, string.Empty);
        for (var minute = Truncate(from); minute <= to; minute = minute.AddMinutes(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Bucket(minute)} and RowKey ge {fromKey}");
            await StorageErrors.GuardAsync(async () =>
            {
                await foreach (var row in tables.Changes.QueryAsync<TableEntity>(filter, select: ["RowKey", "Name"], cancellationToken: ct))
                {
                    changes.Add((row.RowKey, row.GetString("Name") ?? string.Empty));
                }
                return true;
            });
        }
        return changes;
    }

    private static IndexEntry? ToEntry(TableEntity row)
    {
        if (row.GetBoolean("Deleted") == true || row.GetBinary("Data") is not { } data)
        {
            return null;
        }
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<IndexEntry>(input, CatalogJson.Options);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcDateTime.Ticks - t.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    internal static string Bucket(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string ChangeKey(DateTimeOffset t, string name) =>
        t.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "." + name;
}
