using Azure;
using Azure.Data.Tables;

namespace ComponentCatalog.Storage;

/// <summary>
/// The catalog's tables, created once per process (locally; in Azure they are declared in Bicep and
/// creation is a no-op), never per request.
/// </summary>
internal sealed class CatalogTables(TableServiceClient service, CatalogStorageOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

    public TableClient Components { get; } = service.GetTableClient(options.TablePrefix + "Components");

    public TableClient Changes { get; } = service.GetTableClient(options.TablePrefix + "Changes");

    public TableClient Jobs { get; } = service.GetTableClient(options.TablePrefix + "Jobs");

    public TableClient Reports { get; } = service.GetTableClient(options.TablePrefix + "Reports");

    /// <summary>API keys (hashed), one partition: a handful of rows, listed together.</summary>
    public TableClient ApiKeys { get; } = service.GetTableClient(options.TablePrefix + "ApiKeys");

    /// <summary>Event subscriptions, one partition (docs/adr/0060-change-events.md).</summary>
    public TableClient Subscriptions { get; } = service.GetTableClient(options.TablePrefix + "Subscriptions");

    /// <summary>Delivery attempts and dead letters, one partition per subscription.</summary>
    public TableClient Deliveries { get; } = service.GetTableClient(options.TablePrefix + "Deliveries");

    public static IReadOnlyList<string> Names(CatalogStorageOptions options) =>
        [.. new[] { "Components", "Changes", "Jobs", "Reports", "ApiKeys", "Subscriptions", "Deliveries" }.Select(t => options.TablePrefix + t)];

    /// <summary>Creates the tables on first use; a failure (storage down) is retried on the next call.</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (_created)
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (!_created)
            {
                await StorageErrors.GuardAsync(() => CreateAllAsync(service, options), ct);
                _created = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<bool> CreateAllAsync(TableServiceClient service, CatalogStorageOptions options)
    {
        foreach (var name in Names(options))
        {
            try
            {
                await service.CreateTableIfNotExistsAsync(name);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 403)
            {
                // 409: created by a concurrent instance. 403: the identity may use but not create tables
                // (Cosmos DB for Table data-plane RBAC); in Azure the tables come from Bicep.
            }
        }
        return true;
    }
}
