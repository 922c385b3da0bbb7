using ComponentCatalog.Security;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Auth;

public static class AuthSetup
{
    /// <summary>Authentication (JWT, API keys, App Service principal), roles, rate limiting and request limits.</summary>
    public static FunctionsApplicationBuilder AddCatalogAuth(this FunctionsApplicationBuilder builder)
    {
        Bind<AuthOptions>(builder, "Auth");
        Bind<RateLimitOptions>(builder, "RateLimit");
        Bind<RequestLimitOptions>(builder, "Catalog");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new JwtValidator(
            sp.GetRequiredService<AuthOptions>(),
            sp.GetRequiredService<IHostEnvironment>(),
            JwtValidator.CreateMetadata(sp.GetRequiredService<AuthOptions>(), sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<ILogger<JwtValidator>>(),
            AzureHosting.Marker(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddSingleton<Storage.ApiKeyStore>();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<Authenticator>();
        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddSingleton<RequestGate>();
        return builder;
    }

    private static void Bind<T>(FunctionsApplicationBuilder builder, string section)
        where T : class
    {
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }
}
