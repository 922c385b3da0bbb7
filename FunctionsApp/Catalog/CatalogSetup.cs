using System.Security.Cryptography;
using System.Text;
using ComponentCatalog.Search;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Catalog;

internal static class CatalogSetup
{
    public static FunctionsApplicationBuilder AddComponentCatalog(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<CatalogOptions>(CatalogOptions.SettingsSection);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IMemoryCache>(sp => new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sp.GetRequiredService<CatalogOptions>().CacheSizeLimitBytes,
        }));
        builder.Services.AddSingleton<DocumentCache>();
        builder.Services.AddSingleton<ComponentDocuments>();
        builder.Services.AddSingleton<CatalogIndex>();
        builder.Services.AddSingleton<ComponentSearch>();
        builder.Services.AddHostedService<IndexWarmUp>();
        builder.Services.AddSingleton<IndexProjection>();
        builder.Services.AddSingleton<ComponentGraph>();
        builder.Services.AddSingleton<Quality.ComponentQuality>();
        builder.Services.AddSingleton<ComponentImport>();
        builder.Services.AddSingleton<Quality.CatalogLint>();
        builder.Services.AddSingleton(sp => new PagingToken(PagingKey(
            sp.GetRequiredService<CatalogOptions>(), sp.GetRequiredService<Storage.CatalogStorageOptions>())));
        return builder;
    }

    /// <summary>The configured key, else one every instance of this deployment derives alike.</summary>
    private static byte[] PagingKey(CatalogOptions options, Storage.CatalogStorageOptions storage) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(options.PagingKey
            ?? $"paging|{storage.TableServiceUri}|{storage.ConnectionString}|{storage.TablePrefix}"));
}
