using ComponentCatalog.Security;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Auth;

internal static class AuthSetup
{
    /// <summary>Authentication (JWT, API keys, the website's session cookie, App Service principal), roles, rate limiting and request limits.</summary>
    public static FunctionsApplicationBuilder AddCatalogAuth(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AuthOptions>(AuthOptions.SettingsSection);
        builder.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SettingsSection);
        builder.AddValidatedOptions<RequestLimitOptions>(RequestLimitOptions.SettingsSection);
        builder.AddValidatedOptions<WebSignInOptions>(WebSignInOptions.SettingsSection);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new JwtValidator(
            sp.GetRequiredService<AuthOptions>(),
            sp.GetRequiredService<IHostEnvironment>(),
            JwtValidator.CreateMetadata(sp.GetRequiredService<AuthOptions>(), sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<ILogger<JwtValidator>>(),
            AzureHosting.Marker(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddSingleton<Storage.ApiKeyStore>();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<SessionTickets>();
        builder.Services.AddSingleton<Authenticator>();
        builder.Services.AddSingleton<ClientRateLimiter>();
        builder.Services.AddSingleton<RequestGate>();
        return builder;
    }

}
