using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Security;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Tests.Auth;

/// <summary>AddCatalogAuth wires a working gate from settings, and refuses bad settings.</summary>
[TestClass]
public sealed class AuthSetupTests
{
    private static IHost Build(string environment, params (string Key, string Value)[] settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Environment.EnvironmentName = environment;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CatalogStorage"] = TestStorage.ConnectionString,
            ["Catalog:TablePrefix"] = TestStorage.NewPrefix(),
            ["Auth:Issuer"] = Tokens.Issuer,
            ["Auth:Audience"] = Tokens.Audience,
            ["Auth:DevSigningKey"] = Tokens.DevKey,
        });
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        builder.AddCatalogStorage();
        builder.AddComponentCatalog();
        builder.AddCatalogAuth();
        return builder.Build();
    }

    [TestMethod]
    public async Task AddCatalogAuth_Development_GateAcceptsDevTokens()
    {
        using var host = Build("Development");

        var gate = host.Services.GetRequiredService<RequestGate>();
        var decision = await gate.EvaluateAsync("GetComponent", SecurityHarness.Bearer(Tokens.DevToken()));

        Assert.IsTrue(decision.Allowed);
        Assert.AreEqual(CatalogRole.Admin, decision.User?.Role);
    }

    [TestMethod]
    public void AddCatalogAuth_Production_DevKeyIgnored()
    {
        using var host = Build("Production");

        Assert.IsFalse(host.Services.GetRequiredService<JwtValidator>().AcceptsDevTokens);
    }

    [TestMethod]
    public void AddCatalogAuth_Settings_BoundFromSections()
    {
        using var host = Build("Development", ("RateLimit:PermitsPerMinute", "42"), ("Catalog:MaxRequestBytes", "2048"), ("Auth:TrustAppServiceAuthentication", "true"));

        Assert.AreEqual(42, host.Services.GetRequiredService<RateLimitOptions>().PermitsPerMinute);
        Assert.AreEqual(2048, host.Services.GetRequiredService<RequestLimitOptions>().MaxRequestBytes);
        Assert.IsTrue(host.Services.GetRequiredService<AuthOptions>().TrustAppServiceAuthentication);
        Assert.IsNotNull(host.Services.GetRequiredService<ApiKeyStore>());
    }

    [TestMethod]
    [DataRow("Auth:Issuer", "")]
    [DataRow("Auth:DevSigningKey", "too-short")]
    [DataRow("Auth:ClockSkewSeconds", "300")]
    [DataRow("RateLimit:PermitsPerMinute", "0")]
    public void AddCatalogAuth_InvalidSetting_FailsValidation(string key, string value)
    {
        using var host = Build("Development", (key, value));

        Assert.ThrowsExactly<OptionsValidationException>(() =>
        {
            _ = host.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            _ = host.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        });
    }

    [TestMethod]
    public void AddCatalogStorage_BindsConnectionStringPrefixAndTimeout()
    {
        using var host = Build("Development", ("CatalogStorage:OperationTimeoutSeconds", "12"), ("Catalog:TablePrefix", "abc1"));

        var options = host.Services.GetRequiredService<CatalogStorageOptions>();
        Assert.AreEqual(TestStorage.ConnectionString, options.ConnectionString, "the section's own value is the connection string");
        Assert.AreEqual("abc1", options.TablePrefix);
        Assert.AreEqual(TimeSpan.FromSeconds(12), options.OperationTimeout);
    }

    [TestMethod]
    public void AddCatalogStorage_NoStorageSet_FailsValidationNamingBothSettings()
    {
        using var host = Build("Development", ("CatalogStorage", ""));

        var failure = Assert.ThrowsExactly<OptionsValidationException>(() => host.Services.GetRequiredService<CatalogStorageOptions>());
        Assert.Contains("'CatalogStorage__tableServiceUri'", failure.Message);
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("301")]
    public void AddCatalogStorage_OperationTimeoutOutOfRange_FailsValidation(string seconds)
    {
        using var host = Build("Development", ("CatalogStorage:OperationTimeoutSeconds", seconds));

        Assert.ThrowsExactly<OptionsValidationException>(() => host.Services.GetRequiredService<CatalogStorageOptions>());
    }

    [TestMethod]
    public void AddCatalogTelemetry_WithoutConnectionString_RegistersNoExporter()
    {
        var builder = FunctionsApplication.CreateBuilder([]);

        builder.AddCatalogTelemetry();
        using var host = builder.Build();

        Assert.IsNull(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }

    [TestMethod]
    public void AddCatalogTelemetry_WithConnectionString_RegistersTracing()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetrySetup.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/",
        });

        builder.AddCatalogTelemetry();
        using var host = builder.Build();

        Assert.IsNotNull(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }
}
