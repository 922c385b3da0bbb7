using ComponentCatalog.Auth;
using ComponentCatalog.Security;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ComponentCatalog.Tests.Support;

/// <summary>
/// The auth pieces wired as AddCatalogAuth wires them, over real Azurite tables of their own, with a fake clock
/// for API-key expiry and the rate limiter, and every log line collected.
/// </summary>
internal sealed class SecurityHarness : IDisposable
{
    /// <param name="clientOptions">Lets a test put policies (counters, faults) into the storage pipeline.</param>
    public SecurityHarness(
        string environment = "Development", int permitsPerMinute = 600, int trustedProxyHops = 0, bool trustClientPrincipal = false,
        Azure.Data.Tables.TableClientOptions? clientOptions = null)
    {
        var storage = TestStorage.Options(TestStorage.NewPrefix());
        var service = clientOptions is null ? TestStorage.ServiceClient(storage) : new Azure.Data.Tables.TableServiceClient(TestStorage.ConnectionString, clientOptions);
        Tables = new CatalogTables(service, storage);
        Store = new ApiKeyStore(Tables);
        ApiKeys = new ApiKeyService(Store, Clock);
        Tokens.Options.TrustAppServiceAuthentication = trustClientPrincipal;
        RateOptions = new RateLimitOptions { PermitsPerMinute = permitsPerMinute, TrustedProxyHops = trustedProxyHops };
        Limiter = new ClientRateLimiter(RateOptions, Clock);
        Jwt = new JwtValidator(Tokens.Options, Tokens.Environment(environment), Tokens.Metadata(), new FakeLogger<JwtValidator>(Logs));
        Gate = new RequestGate(new Authenticator(Jwt, ApiKeys), Limiter, Tokens.Options, RateOptions, Limits);
    }

    public Tokens Tokens { get; } = new();
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    public FakeLogCollector Logs { get; } = new();
    public CatalogTables Tables { get; }
    public ApiKeyStore Store { get; }
    public ApiKeyService ApiKeys { get; }
    public RateLimitOptions RateOptions { get; }
    public RequestLimitOptions Limits { get; } = new() { MaxRequestBytes = 1024 * 1024 };
    public ClientRateLimiter Limiter { get; }
    public JwtValidator Jwt { get; }
    public RequestGate Gate { get; }

    /// <summary>Request headers; <c>Host: 127.0.0.1:7071</c> (a local run) unless the test sends its own Host.</summary>
    public static HttpHeadersCollection Headers(params (string Name, string Value)[] headers)
    {
        var collection = new HttpHeadersCollection();
        if (!headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            collection.TryAddWithoutValidation("Host", "127.0.0.1:7071");
        }
        foreach (var group in headers.GroupBy(h => h.Name))
        {
            collection.TryAddWithoutValidation(group.Key, group.Select(h => h.Value));
        }
        return collection;
    }

    public static HttpHeadersCollection Bearer(string token, params (string Name, string Value)[] more) =>
        Headers([("Authorization", "Bearer " + token), .. more]);

    public static HttpHeadersCollection ApiKey(string key) => Headers(("X-Api-Key", key));

    public Task<GateOutcome> EvaluateAsync(string function, HttpHeadersCollection headers) => Gate.EvaluateAsync(function, headers);

    public void Dispose() => Tokens.Dispose();
}
