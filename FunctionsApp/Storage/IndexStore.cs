using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Storage;

/// <summary>
/// The derived rows behind search and the graph (docs/adr/0005-search-index.md):
/// <c>Summaries</c> holds one row per document (PK = name) with its <see cref="IndexEntry"/> as
/// gzip'd JSON; <c>Changes</c> is an append-only log (PK = UTC minute, RK = ticks.name) that other
/// instances poll to stay current. Both are rebuildable from the documents.
/// </summary>
public sealed class IndexStore(CatalogTables tables)
{
    private const string SummaryKey = "s";

    public async Task PublishAsync(string name, IndexEntry? entry, DateTimeOffset at, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = new TableEntity(name, SummaryKey)
        {
            ["Deleted"] = entry is null,
            ["Revision"] = entry?.Revision ?? 0,
            ["Data"] = entry is null ? null : Compress(JsonSerializer.SerializeToUtf8Bytes(entry, CatalogJson.Options)),
        };
        await StorageErrors.GuardAsync(() => tables.Summaries.UpsertEntityAsync(row, TableUpdateMode.Replace, ct));

        var change = new TableEntity(Bucket(at), ChangeKey(at, name)) { ["Name"] = name };
        await StorageErrors.GuardAsync(() => tables.Changes.UpsertEntityAsync(change, TableUpdateMode.Replace, ct));
    }

    /// <summary>Purge: the summary row goes too, and a change row tells other instances to drop it.</summary>
    public async Task ForgetAsync(string name, DateTimeOffset at, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        try
        {
            await StorageErrors.GuardAsync(() => tables.Summaries.DeleteEntityAsync(name, SummaryKey, Azure.ETag.All, ct));
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
        var row = await StorageErrors.GuardAsync(() => tables.Summaries.GetEntityIfExistsAsync<TableEntity>(name, SummaryKey, cancellationToken: ct));
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

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }
        return output.ToArray();
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcDateTime.Ticks - t.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    internal static string Bucket(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string ChangeKey(DateTimeOffset t, string name) =>
        t.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "." + name;
}
