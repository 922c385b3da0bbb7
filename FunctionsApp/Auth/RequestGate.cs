using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Security;
using Microsoft.Azure.Functions.Worker.Http;
using ValidationException = ComponentCatalog.Errors.ValidationException;

namespace ComponentCatalog.Auth;

/// <summary>Settings under <c>Catalog__*</c> that apply to every request.</summary>
internal sealed class RequestLimitOptions
{
    public const string SettingsSection = "Catalog";

    /// <summary>
    /// Largest body any function accepts, by <c>Content-Length</c>, checked before the function runs; keep it at
    /// least <c>Catalog__MaxImportBytes</c>. Each function still applies its own (smaller) limit while reading;
    /// bodies without Content-Length are capped there.
    /// </summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;
}

/// <summary>
/// Everything the auth middleware decides, in two steps and in order, without touching the worker's response
/// machinery (so it is tested directly). Every refusal is a thrown <see cref="CatalogException"/> that
/// ExceptionMiddleware answers as problem+json, like any other refusal in the app.
/// </summary>
internal sealed class RequestGate(
    Authenticator authenticator,
    ClientRateLimiter limiter,
    AuthOptions authOptions,
    RateLimitOptions rateOptions,
    RequestLimitOptions limits)
{
    /// <summary>
    /// Who is calling: header hygiene and the global body cap (400/413), then the credentials, unless the function
    /// is anonymous. A refused credential is an outcome, not a refusal yet: <see cref="Authorize"/> decides.
    /// </summary>
    public async Task<AuthResult> AuthenticateAsync(string functionName, HttpHeadersCollection headers, CancellationToken ct = default)
    {
        CheckContentLength(headers);
        if (AccessPolicy.IsAnonymous(functionName))
        {
            return AuthResult.Anonymous;
        }

        // Cookie credentials (the website's) count only with the CSRF proof; see BrowserSession.
        var credentials = BrowserSession.ForScriptedRequest(CredentialReader.Read(headers, authOptions.TrustAppServiceAuthentication), headers);
        var address = Address(headers);
        if (credentials.Kind == CredentialKind.ApiKey && limiter.GetStatistics(address) is { CurrentAvailablePermits: < 1 })
        {
            // Refused keys count against the address; once it has nothing left, a key costs no storage read.
            using var refused = limiter.AttemptAcquire(address);
            throw RateLimited(refused);
        }
        return await authenticator.AuthenticateAsync(credentials, ct);
    }

    /// <summary>
    /// May the caller call the function now: the rate limit per principal, or per client address for callers without
    /// one (429), then the function's role (<see cref="AccessPolicy.Authorize"/>: 401/403). Returns whom to run as.
    /// </summary>
    public CatalogUser? Authorize(string functionName, AuthResult caller, HttpHeadersCollection headers)
    {
        using var lease = limiter.AttemptAcquire(caller.User is { } user ? "user:" + user.Id : Address(headers));
        return lease.IsAcquired ? AccessPolicy.Authorize(functionName, caller) : throw RateLimited(lease);
    }

    private string Address(HttpHeadersCollection headers) => "ip:" + ClientAddress.From(headers, rateOptions.TrustedProxyHops);

    private static RateLimitedException RateLimited(RateLimitLease lease) =>
        new(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));

    private void CheckContentLength(HttpHeadersCollection headers)
    {
        if (headers.TryGetValues("Content-Length", out var values)
            && long.TryParse(values.FirstOrDefault(), out var length)
            && length > limits.MaxRequestBytes)
        {
            throw new PayloadTooLargeException(limits.MaxRequestBytes);
        }
    }
}
