using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using ComponentCatalog.Errors;
using ComponentCatalog.Security;
using Microsoft.Azure.Functions.Worker.Http;
using ValidationException = ComponentCatalog.Errors.ValidationException;

namespace ComponentCatalog.Auth;

/// <summary>Settings under <c>Catalog__*</c> that apply to every request.</summary>
public sealed class RequestLimitOptions
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
/// Everything the auth middleware decides, in order, without touching the worker's response machinery (so it is
/// tested directly): header hygiene and the global body cap (400/413), authentication (skipped for anonymous
/// functions), the rate limit per principal or per client address (429), the role check (401/403).
/// </summary>
public sealed class RequestGate(
    Authenticator authenticator,
    ClientRateLimiter limiter,
    AuthOptions authOptions,
    RateLimitOptions rateOptions,
    RequestLimitOptions limits)
{
    public async Task<AuthDecision> EvaluateAsync(string functionName, HttpHeadersCollection headers, CancellationToken ct = default)
    {
        try
        {
            CheckContentLength(headers);
            var address = "ip:" + ClientAddress.From(headers, rateOptions.TrustedProxyHops);
            AuthResult result;
            if (AccessPolicy.IsAnonymous(functionName))
            {
                result = AuthResult.Anonymous;
            }
            else
            {
                // Cookie credentials (the website's) count only with the CSRF proof; see BrowserSession.
                var credentials = BrowserSession.ForScriptedRequest(CredentialReader.Read(headers, authOptions.TrustAppServiceAuthentication), headers);
                if (credentials.Kind == CredentialKind.ApiKey && limiter.GetStatistics(address) is { CurrentAvailablePermits: < 1 })
                {
                    // Refused keys count against the address; once it has nothing left, a key costs no storage read.
                    using var refused = limiter.AttemptAcquire(address);
                    return AuthDecision.Deny(RateLimited(refused));
                }
                result = await authenticator.AuthenticateAsync(credentials, ct);
            }

            using var lease = limiter.AttemptAcquire(result.User is { } user ? "user:" + user.Id : address);
            return lease.IsAcquired
                ? AccessPolicy.Decide(functionName, result)
                : AuthDecision.Deny(RateLimited(lease), result.User);
        }
        catch (CatalogException e) when (e is ValidationException or UnauthorizedException or PayloadTooLargeException)
        {
            return AuthDecision.Deny(e);
        }
    }

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
