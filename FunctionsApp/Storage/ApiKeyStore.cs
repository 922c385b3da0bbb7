using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace ComponentCatalog.Storage;

/// <summary>An API key as stored: the SHA-256 of the key, never the key.</summary>
internal sealed record ApiKeyRecord(
    string Id,
    string Name,
    byte[] Hash,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Teams,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// API keys in the <c>ApiKeys</c> table: partition <c>apikey</c>, row key = the key's id (the public part of the
/// key), so authenticating is one point read. Revocation stamps <c>RevokedAt</c>; the row stays for the audit trail.
/// </summary>
internal sealed class ApiKeyStore(CatalogTables tables)
{
    private const string Partition = "apikey";

    private TableClient Table => tables.ApiKeys;

    public async Task AddAsync(ApiKeyRecord record, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        await StorageErrors.GuardAsync(() => Table.AddEntityAsync(ToEntity(record), ct), ct);
    }

    public async Task<ApiKeyRecord?> GetAsync(string id, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var response = await StorageErrors.GuardAsync(() => Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: ct), ct);
        return response.HasValue ? ToRecord(response.Value!) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        var items = new List<ApiKeyRecord>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                items.Add(ToRecord(row));
            }
            return true;
        }, ct);
        return items;
    }

    /// <summary>Stamps <c>RevokedAt</c> (the first revocation wins). False when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return false;
        }
        if (current.RevokedAt is not null)
        {
            return true;
        }

        try
        {
            var patch = new TableEntity(Partition, id) { ["RevokedAt"] = at };
            await StorageErrors.GuardAsync(() => Table.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, ct), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(ApiKeyRecord r) => new(Partition, r.Id)
    {
        ["Name"] = r.Name,
        ["Hash"] = r.Hash,
        ["Roles"] = JsonSerializer.Serialize(r.Roles),
        ["Teams"] = JsonSerializer.Serialize(r.Teams),
        ["CreatedAt"] = r.CreatedAt,
        ["CreatedBy"] = r.CreatedBy,
        ["ExpiresAt"] = r.ExpiresAt,
        ["RevokedAt"] = r.RevokedAt,
    };

    private static ApiKeyRecord ToRecord(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name") ?? string.Empty,
        e.GetBinary("Hash") ?? [],
        JsonSerializer.Deserialize<string[]>(e.GetString("Roles") ?? "[]") ?? [],
        JsonSerializer.Deserialize<string[]>(e.GetString("Teams") ?? "[]") ?? [],
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("CreatedBy") ?? string.Empty,
        e.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("RevokedAt"));
}
