using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Storage;

/// <summary>
/// Documents on Table Storage (docs/adr/0001-storage-layout.md). One partition per document:
/// the <c>head</c> row, and per revision one row <c>r{revision:D10}</c> plus chunk rows
/// <c>r{revision:D10}.{n:D3}</c> holding the gzip'd JSON in ≤ 60,000-byte binary properties.
/// A new revision's rows and the head update go in one transaction: all visible or none.
/// </summary>
internal sealed class ComponentStore(CatalogTables tables)
{
    internal const string HeadKey = "head";
    private const int PropertyBytes = 60_000;
    private const int PropertiesPerRow = 8;
    private const int RowBytes = PropertyBytes * PropertiesPerRow;

    /// <summary>
    /// Compressed bytes one revision may take. The transaction carries them base64-encoded and
    /// must stay under Cosmos DB for Table's 2 MB (Azure's is 4 MiB).
    /// </summary>
    internal const int MaxCompressedBytes = 1_200_000;

    private static readonly string[] HeadColumns =
        ["PartitionKey", "RowKey", "Revision", "Deleted", "DeletedAt", "CreatedAt", "UpdatedAt", "UpdatedBy", "ContentHash", "ChunkRows", "WriteId", "Title", "Owner", "Purging"];

    private TableClient Table => tables.Components;

    /// <summary>The head's metadata only (not the inline copy of the content): what writes and checks need.</summary>
    public async Task<HeadState?> GetHeadAsync(string name, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var response = await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>(name, HeadKey, HeadColumns, ct), ct);
        return response.HasValue ? ToHead(response.Value!) : null;
    }

    /// <summary>
    /// The head and, when the current revision fits one row, its gzip'd JSON from the head's inline copy: a read of
    /// the current document in one round trip. The content is null when the revision must be read separately.
    /// </summary>
    public async Task<(HeadState? Head, byte[]? Gzip)> ReadCurrentAsync(string name, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var response = await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>(name, HeadKey, cancellationToken: ct), ct);
        if (!response.HasValue)
        {
            return (null, null);
        }
        var row = response.Value!;
        return (ToHead(row), row.GetBoolean("Inline") == true ? Decode([row]) : null);
    }

    /// <summary>The gzip'd JSON of one revision as stored, or null when there is no such revision.</summary>
    public async Task<byte[]?> ReadRevisionAsync(string name, int revision, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var key = RevisionKey(revision);
        var first = await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>(name, key, cancellationToken: ct), ct);
        if (!first.HasValue)
        {
            return null;
        }

        var rows = new List<TableEntity> { first.Value! };
        var chunkRows = first.Value!.GetInt32("ChunkRows") ?? 1;
        if (chunkRows > 1)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {name} and RowKey gt {key} and RowKey lt {key + "/"}");
            await StorageErrors.GuardAsync(async () =>
            {
                await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                {
                    rows.Add(row);
                }
                return true;
            }, ct);
            if (rows.Count != chunkRows)
            {
                throw new InvalidOperationException($"Revision {revision} of '{name}' has {rows.Count} of {chunkRows} chunk rows.");
            }
        }

        return Decode(rows.OrderBy(r => r.RowKey, StringComparer.Ordinal));
    }

    /// <summary>
    /// Commits a new revision. <paramref name="expected"/> is the head the caller read (null when the
    /// document must not exist yet). Throws <see cref="ConflictException"/> when a create loses a race and
    /// <see cref="PreconditionFailedException"/> when the head moved since it was read.
    /// </summary>
    public async Task<HeadState> WriteRevisionAsync(RevisionWrite write, HeadState? expected, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var compressed = write.ContentGzip;
        if (compressed.Length > MaxCompressedBytes)
        {
            throw new PayloadTooLargeException(MaxCompressedBytes);
        }

        var writeId = write.WriteId;
        var summary = IndexStore.EncodeEntry(write.Entry);
        var revisionRows = EncodeRows(write, compressed).ToList();
        var head = new TableEntity(write.Name, HeadKey)
        {
            ["Revision"] = write.Revision,
            ["Deleted"] = false,
            ["CreatedAt"] = write.CreatedAt,
            ["UpdatedAt"] = write.UpdatedAt,
            ["UpdatedBy"] = write.UpdatedBy,
            ["ContentHash"] = write.ContentHash,
            ["ChunkRows"] = revisionRows.Count,
            ["WriteId"] = writeId,
            ["Title"] = write.Title,
            ["Owner"] = write.Owner,
            ["Inline"] = revisionRows.Count == 1,
            [IndexStore.SummaryColumn] = summary,
        };
        if (revisionRows.Count == 1)
        {
            // The current content twice (revision row and head) so a read of it is one point read.
            foreach (var (key, value) in revisionRows[0].Where(p => p.Key.Length == 2 && p.Key[0] == 'D'))
            {
                head[key] = value;
            }
        }

        var actions = revisionRows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
        if (write.Event is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EventRow(write.Name, write.Event)));
        }
        actions.Add(expected is null
            ? new TableTransactionAction(TableTransactionActionType.Add, head)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, new ETag(expected.Version)));

        try
        {
            var result = await StorageErrors.GuardAsync(() => Table.SubmitTransactionAsync(actions, ct), ct);
            var headResponse = result.Value[actions.Count - 1];
            return ToHead(head, headResponse.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (StorageUnavailableException)
        {
            // The retries may have run out after the transaction had committed.
            var committed = await CommittedAsync(write.Name, writeId, ct);
            if (committed is null)
            {
                throw;
            }
            return committed;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // A retry of a transaction that did commit answers 409/412 too: read back before failing.
            if (await CommittedAsync(write.Name, writeId, ct) is { } committed)
            {
                return committed;
            }

            throw expected is null
                ? new ConflictException($"A component named '{write.Name}' already exists.")
                : new PreconditionFailedException($"'{write.Name}' was changed by someone else; read it again and retry.");
        }
    }

    private async Task<HeadState?> CommittedAsync(string name, string writeId, CancellationToken ct)
    {
        try
        {
            var current = await GetHeadAsync(name, ct);
            return current is not null && current.WriteId == writeId ? current : null;
        }
        catch (StorageUnavailableException)
        {
            return null;
        }
    }

    /// <summary>
    /// Soft delete or restore: flips the head, guarded by its version, with the write id announced for it, and
    /// its change event in the same transaction. Revisions stay.
    /// </summary>
    public async Task<HeadState> SetDeletedAsync(
        HeadState expected, bool deleted, DateTimeOffset at, string writeId, CancellationToken ct = default, Search.IndexEntry? entry = null,
        Events.ChangeEvent? change = null)
    {
        await tables.EnsureCreatedAsync(ct);
        var patch = new TableEntity(expected.Name, HeadKey)
        {
            ["Deleted"] = deleted,
            ["DeletedAt"] = deleted ? at : null,
            ["WriteId"] = writeId,
        };
        if (entry is not null)
        {
            patch[IndexStore.SummaryColumn] = IndexStore.EncodeEntry(entry);
        }
        List<TableTransactionAction> actions = [new(TableTransactionActionType.UpdateMerge, patch, new ETag(expected.Version))];
        if (change is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EventRow(expected.Name, change)));
        }
        try
        {
            var response = await StorageErrors.GuardAsync(() => Table.SubmitTransactionAsync(actions, ct), ct);
            return expected with
            {
                Deleted = deleted,
                DeletedAt = deleted ? at : null,
                WriteId = writeId,
                Version = response.Value[0].Headers.ETag?.ToString() ?? string.Empty,
            };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            if (await CommittedAsync(expected.Name, writeId, ct) is { } committed)
            {
                return committed;
            }
            throw new PreconditionFailedException($"'{expected.Name}' was changed by someone else; read it again and retry.");
        }
    }

    /// <summary>The change event a write committed, or null when no write with that id committed an event here.</summary>
    public async Task<Events.ChangeEvent?> GetEventAsync(string name, string writeId, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>(name, EventKey(writeId), ["Event"], ct));
        return row.HasValue && row.Value!.GetString("Event") is { } json ? Events.ChangeEvent.FromStored(json) : null;
    }

    /// <summary>The outbox row of a change event: in the document's partition, keyed by the write that made it.</summary>
    private static TableEntity EventRow(string name, Events.ChangeEvent change) =>
        new(name, EventKey(change.Id)) { ["Kind"] = "event", ["Event"] = change.ToStored() };

    internal static string EventKey(string writeId) => "event." + writeId;

    /// <summary>
    /// Puts the search index entry of the current revision on the head (the reconcile job, for heads written
    /// before entries lived there). False when the head moved meanwhile: its own write carried an entry.
    /// </summary>
    public async Task<bool> SetEntryAsync(HeadState expected, Search.IndexEntry entry, string writeId, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var patch = new TableEntity(expected.Name, HeadKey) { [IndexStore.SummaryColumn] = IndexStore.EncodeEntry(entry), ["WriteId"] = writeId };
        try
        {
            await StorageErrors.GuardAsync(() => Table.UpdateEntityAsync(patch, new ETag(expected.Version), TableUpdateMode.Merge, ct), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The document's history, newest first (sorted here: Cosmos DB for Table does not sort).</summary>
    public async Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string name, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {name} and RowKey ge {"r"} and RowKey lt {"s"} and Kind eq {"revision"}");
        var items = new List<RevisionInfo>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["Revision", "UpdatedAt", "UpdatedBy"], cancellationToken: ct))
            {
                items.Add(new RevisionInfo(
                    row.GetInt32("Revision") ?? 0,
                    row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
                    row.GetString("UpdatedBy") ?? string.Empty));
            }
            return true;
        }, ct);
        return [.. items.OrderByDescending(i => i.Revision)];
    }

    /// <summary>
    /// Heads in name order after <paramref name="after"/> (a scan: for maintenance jobs only, never per request).
    /// </summary>
    public async Task<List<HeadState>> ListHeadsAsync(string? after, int max, bool deletedOnly, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var filter = deletedOnly
            ? TableClient.CreateQueryFilter($"RowKey eq {HeadKey} and PartitionKey gt {after ?? string.Empty} and Deleted eq {true}")
            : TableClient.CreateQueryFilter($"RowKey eq {HeadKey} and PartitionKey gt {after ?? string.Empty}");
        var heads = new List<HeadState>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: HeadColumns, cancellationToken: ct))
            {
                heads.Add(ToHead(row));
            }
            return true;
        }, ct);
        return [.. heads.OrderBy(h => h.Name, StringComparer.Ordinal).Take(max)];
    }

    /// <summary>
    /// Removes a soft-deleted document for good: marks the head as purging (so it can no longer be
    /// restored), deletes every other row of the partition, then the head. A crash part-way leaves the
    /// marked head, and the next run finishes. False when the head changed meanwhile (e.g. restored).
    /// </summary>
    /// <param name="beforeDelete">Runs once the head is marked (the purge can no longer be undone) and before any row
    /// goes: the purge event is logged there, outside the partition that is about to disappear.</param>
    public async Task<bool> PurgeAsync(HeadState expected, CancellationToken ct = default, Func<HeadState, Task>? beforeDelete = null)
    {
        var version = expected.Version;
        if (!expected.Purging)
        {
            try
            {
                var marked = await StorageErrors.GuardAsync(() => Table.UpdateEntityAsync(
                    new TableEntity(expected.Name, HeadKey) { ["Purging"] = true }, new ETag(expected.Version), TableUpdateMode.Merge, ct), ct);
                version = marked.Headers.ETag?.ToString() ?? version;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                return false;
            }
        }

        if (beforeDelete is not null)
        {
            await beforeDelete(expected with { Purging = true, Version = version });
        }

        var rows = new List<string>();
        await StorageErrors.GuardAsync(async () =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {expected.Name} and RowKey ne {HeadKey}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                rows.Add(row.RowKey);
            }
            return true;
        }, ct);
        foreach (var batch in rows.Chunk(100))
        {
            var actions = batch.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(expected.Name, rk), ETag.All)).ToList();
            await StorageErrors.GuardAsync(() => Table.SubmitTransactionAsync(actions, ct), ct);
        }

        try
        {
            await StorageErrors.GuardAsync(() => Table.DeleteEntityAsync(expected.Name, HeadKey, new ETag(version), ct), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        return true;
    }

    /// <summary>A cheap round trip for the health check.</summary>
    public async Task PingAsync(CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>("~health", HeadKey, select: ["RowKey"], cancellationToken: ct), ct);
    }

    internal static string RevisionKey(int revision) => "r" + revision.ToString("D10", CultureInfo.InvariantCulture);

    private static IEnumerable<TableEntity> EncodeRows(RevisionWrite write, byte[] compressed)
    {
        var rowCount = Math.Max(1, (compressed.Length + RowBytes - 1) / RowBytes);
        for (var row = 0; row < rowCount; row++)
        {
            var key = RevisionKey(write.Revision) + (row == 0 ? string.Empty : "." + row.ToString("D3", CultureInfo.InvariantCulture));
            var entity = new TableEntity(write.Name, key) { ["Kind"] = row == 0 ? "revision" : "chunk" };
            if (row == 0)
            {
                entity["Revision"] = write.Revision;
                entity["UpdatedAt"] = write.UpdatedAt;
                entity["UpdatedBy"] = write.UpdatedBy;
                entity["ContentHash"] = write.ContentHash;
                entity["ChunkRows"] = rowCount;
                entity["Length"] = compressed.Length;
            }

            var rowStart = row * RowBytes;
            for (var p = 0; p < PropertiesPerRow; p++)
            {
                var start = rowStart + p * PropertyBytes;
                if (start >= compressed.Length)
                {
                    break;
                }
                entity["D" + p.ToString(CultureInfo.InvariantCulture)] = compressed.AsSpan(start, Math.Min(PropertyBytes, compressed.Length - start)).ToArray();
            }
            yield return entity;
        }
    }

    /// <summary>The gzip'd content as written: the binary properties of the rows, in order.</summary>
    private static byte[] Decode(IEnumerable<TableEntity> rows)
    {
        using var compressed = new MemoryStream();
        foreach (var row in rows)
        {
            for (var p = 0; p < PropertiesPerRow && row.GetBinary("D" + p.ToString(CultureInfo.InvariantCulture)) is { } part; p++)
            {
                compressed.Write(part);
            }
        }
        return compressed.ToArray();
    }

    private static HeadState ToHead(TableEntity e) => ToHead(e, e.ETag.ToString());

    private static HeadState ToHead(TableEntity e, string version) => new(
        e.PartitionKey,
        e.GetInt32("Revision") ?? 0,
        e.GetBoolean("Deleted") ?? false,
        e.GetDateTimeOffset("DeletedAt"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("UpdatedBy") ?? string.Empty,
        e.GetString("ContentHash") ?? string.Empty,
        e.GetInt32("ChunkRows") ?? 1,
        e.GetString("WriteId") ?? string.Empty,
        version,
        e.GetBoolean("Purging") ?? false,
        e.GetString("Owner"));
}
