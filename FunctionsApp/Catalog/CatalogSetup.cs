using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Catalog;

public static class CatalogSetup
{
    public static FunctionsApplicationBuilder AddComponentCatalog(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogOptions>()
            .Bind(builder.Configuration.GetSection("Catalog"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<CatalogOptions>>().Value);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IMemoryCache>(sp => new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sp.GetRequiredService<CatalogOptions>().CacheSizeLimitBytes,
        }));
        builder.Services.AddSingleton<ComponentCatalog>();
        return builder;
    }
}
