using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Events;
using ComponentCatalog.Storage;
using DevHost;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.Support;

/// <summary>
/// One real Azurite (in memory, free loopback ports) for the whole test run; each test class
/// works in its own table prefix so classes run in parallel without seeing each other.
/// </summary>
[TestClass]
public static class TestStorage
{
    private static AzuriteProcess? _azurite;

    public static string ConnectionString => _azurite?.ConnectionString
        ?? throw new InvalidOperationException("Azurite is not running; the assembly initializer failed.");

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext _) => _azurite = await AzuriteProcess.StartAsync(dataDirectory: null);

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    internal static CatalogStorageOptions Options(string prefix) => new() { ConnectionString = ConnectionString, TablePrefix = prefix };

    internal static TableServiceClient ServiceClient(CatalogStorageOptions options) => StorageSetup.CreateServiceClient(options);

    /// <summary>
    /// A catalog over its own tables, with a controllable clock and caching off unless asked;
    /// <paramref name="clientOptions"/> lets a test put policies (faults, counters) into the storage pipeline.
    /// </summary>
    internal static CatalogUnderTest CreateCatalog(int cacheSeconds = 0, TableClientOptions? clientOptions = null)
    {
        var options = Options(NewPrefix());
        var service = clientOptions is null ? ServiceClient(options) : new TableServiceClient(ConnectionString, clientOptions);
        var tables = new CatalogTables(service, options);
        var store = new ComponentStore(tables);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));
        var catalogOptions = new CatalogOptions { CacheSeconds = cacheSeconds };
        var cache = NewDocumentCache(catalogOptions);
        var search = NewSearch(tables, clock, catalogOptions, cache);
        var quality = new ComponentQuality(search, clock, catalogOptions);
        var projection = new IndexProjection(search, quality);
        var signal = new DeliverySignal(clock, new EventsOptions());
        var catalog = new ComponentDocuments(store, projection, quality, cache, signal, clock);
        return new CatalogUnderTest(catalog, store, tables, clock, catalogOptions, search, quality, projection, signal);
    }

    /// <summary>A second instance's view of the same tables: its own index, its own clock.</summary>
    internal static ComponentSearch NewSearch(CatalogTables tables, TimeProvider clock, CatalogOptions options, DocumentCache? documents = null) =>
        new(new IndexStore(tables), new CatalogIndex(), new PagingToken(new byte[32]), clock, options,
            documents ?? NewDocumentCache(options),
            NullLogger<ComponentSearch>.Instance);

    /// <summary>An instance's document cache, sized as the app sizes it.</summary>
    internal static DocumentCache NewDocumentCache(CatalogOptions options) =>
        new(new MemoryCache(new MemoryCacheOptions { SizeLimit = options.CacheSizeLimitBytes }), options);

    /// <summary>
    /// Another instance over the same tables as <paramref name="first"/>: its own cache, index and search, the same
    /// clock and options.
    /// </summary>
    internal static CatalogUnderTest SecondInstance(CatalogUnderTest first)
    {
        var options = first.Options;
        var cache = NewDocumentCache(options);
        var search = NewSearch(first.Tables, first.Clock, options, cache);
        var quality = new ComponentQuality(search, first.Clock, options);
        var projection = new IndexProjection(search, quality);
        var signal = new DeliverySignal(first.Clock, new EventsOptions());
        var catalog = new ComponentDocuments(first.Store, projection, quality, cache, signal, first.Clock);
        return new CatalogUnderTest(catalog, first.Store, first.Tables, first.Clock, options, search, quality, projection, signal);
    }
}

internal sealed record CatalogUnderTest(
    ComponentDocuments Catalog, ComponentStore Store, CatalogTables Tables, FakeTimeProvider Clock, CatalogOptions Options,
    ComponentSearch Search, ComponentQuality Quality, IndexProjection Projection, DeliverySignal Signal);
