using ComponentCatalog.Web;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Pages;

internal static class WebSetup
{
    /// <summary>The website at the site root: pages (Razor components rendered on the server), assets, sign-in (the app's own OIDC flow, or the Development page).</summary>
    public static FunctionsApplicationBuilder AddCatalogWeb(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new PageRenderer(sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<PageAuth>();
        builder.Services.AddSingleton<DevSignIn>();
        builder.Services.AddSingleton<OidcSignIn>();
        builder.Services.AddSingleton<PageCache>();
        builder.Services.AddSingleton<WebPages>();
        return builder;
    }
}
