using System.Text;
using ComponentCatalog.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Auth;

/// <summary>
/// Validates <c>Authorization: Bearer</c> JWTs: issuer, audience, lifetime (skew ≤ 30 s), signature with an
/// allow-list of algorithms. Asymmetric tokens are checked against the issuer's JWKS (OIDC metadata, refreshed by
/// <see cref="ConfigurationManager{T}"/>, also when an unknown <c>kid</c> shows up) and must name their key by
/// <c>kid</c>; HS256 tokens only against <see cref="AuthOptions.DevSigningKey"/>, and only in Development.
/// Roles come from the <c>roles</c> claim, set explicitly: no claim mapping.
/// </summary>
internal sealed partial class JwtValidator
{
    public static IReadOnlyList<string> AsymmetricAlgorithms { get; } =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly AuthOptions _options;
    private readonly BaseConfigurationManager? _metadata;
    private readonly SymmetricSecurityKey? _devKey;
    private readonly ILogger<JwtValidator> _logger;

    private readonly bool _devKeyIsSample;

    /// <param name="azureMarker">The name of an environment variable that only Azure sets (<see cref="AzureHosting"/>), when one
    /// is set: dev tokens are then refused whatever the environment is called.</param>
    public JwtValidator(
        AuthOptions options,
        IHostEnvironment environment,
        BaseConfigurationManager? metadata,
        ILogger<JwtValidator> logger,
        string? azureMarker = null)
    {
        _options = options;
        _metadata = metadata;
        _logger = logger;
        if (!string.IsNullOrEmpty(options.DevSigningKey))
        {
            if (azureMarker is not null)
            {
                LogDevKeyInAzure(logger, azureMarker);
            }
            else if (environment.IsDevelopment())
            {
                _devKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.DevSigningKey)) { KeyId = "dev" };
                _devKeyIsSample = options.DevSigningKey == AuthOptions.SampleDevSigningKey;
            }
            else
            {
                LogDevKeyIgnored(logger, environment.EnvironmentName);
            }
        }
    }

    /// <summary>Whether HS256 dev tokens are accepted (Development with a dev key, not in Azure).</summary>
    public bool AcceptsDevTokens => _devKey is not null;

    /// <summary>The caller, or null when the token is not acceptable; dev tokens as for a request from elsewhere than loopback.</summary>
    public Task<CatalogUser?> ValidateAsync(string token, CancellationToken ct = default) => ValidateAsync(token, fromLoopback: false, ct);

    /// <summary>
    /// The caller, or null when the token is not acceptable. The reason is logged, the token never. A dev token signed
    /// with the public sample key (local.settings.sample.json) counts only for a request addressed to a loopback host.
    /// </summary>
    public async Task<CatalogUser?> ValidateAsync(string token, bool fromLoopback, CancellationToken ct = default)
    {
        var result = await _handler.ValidateTokenAsync(token, Parameters(acceptDevTokens: _devKey is not null && (fromLoopback || !_devKeyIsSample)));
        if (!result.IsValid)
        {
            LogRejected(_logger, result.Exception?.GetType().Name ?? "unknown");
            return null;
        }

        var user = result.ClaimsIdentity.ToCatalogUser();
        if (user is null)
        {
            LogRejected(_logger, "no sub or oid claim");
        }
        return user;
    }

    /// <summary>Fresh per call: the handler flips refresh flags on the parameters when it re-reads metadata.</summary>
    private TokenValidationParameters Parameters(bool acceptDevTokens)
    {
        var parameters = Strict(_options.Audience, _options.ClockSkewSeconds, _metadata, ResolveKeys);
        parameters.ValidIssuer = _options.Issuer;
        parameters.ValidAlgorithms = acceptDevTokens ? [.. AsymmetricAlgorithms, SecurityAlgorithms.HmacSha256] : AsymmetricAlgorithms;
        parameters.RoleClaimType = CatalogClaims.Roles;
        parameters.NameClaimType = CatalogClaims.Subject;
        return parameters;
    }

    /// <summary>
    /// The checks every token the app accepts gets (bearer tokens here, the website sign-in's id_tokens in
    /// OidcSignIn): issuer, audience, lifetime with at most 30 s skew, expiry and signature required, asymmetric
    /// algorithms, keys only as <paramref name="resolver"/> names them. Fresh per call.
    /// </summary>
    internal static TokenValidationParameters Strict(
        string audience, int clockSkewSeconds, BaseConfigurationManager? metadata, IssuerSigningKeyResolverUsingConfiguration resolver) => new()
    {
        ValidAudience = audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        RequireAudience = true,
        ClockSkew = TimeSpan.FromSeconds(Math.Clamp(clockSkewSeconds, 0, 30)),
        ValidAlgorithms = AsymmetricAlgorithms,
        TryAllIssuerSigningKeys = false,
        ConfigurationManager = metadata,
        IssuerSigningKeyResolverUsingConfiguration = resolver,
    };

    /// <summary>The metadata's keys with the token's <c>kid</c>; none for a token without one.</summary>
    internal static IEnumerable<SecurityKey> KeysByKid(string kid, BaseConfiguration? configuration) =>
        string.IsNullOrEmpty(kid) || configuration is null
            ? []
            : configuration.SigningKeys.Where(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    /// <summary>
    /// HS256 → the dev key (or nothing); anything else → the metadata key with the token's <c>kid</c>. A symmetric
    /// key is never made from anything but the dev key, so "HS256 signed with the RSA public key" has no key to verify.
    /// </summary>
    private IEnumerable<SecurityKey> ResolveKeys(
        string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters, BaseConfiguration? configuration)
    {
        if (securityToken is JsonWebToken { Alg: SecurityAlgorithms.HmacSha256 })
        {
            return _devKey is null || !parameters.ValidAlgorithms.Contains(SecurityAlgorithms.HmacSha256) ? [] : [_devKey];
        }

        return [.. KeysByKid(kid, configuration)];
    }

    /// <summary>The issuer's metadata, when one is to be used: always outside Development, in Development only when set.</summary>
    public static BaseConfigurationManager? CreateMetadata(AuthOptions options, IHostEnvironment environment)
    {
        var address = options.MetadataAddress;
        if (string.IsNullOrEmpty(address))
        {
            if (environment.IsDevelopment())
            {
                return null;
            }
            address = options.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        }

        // A short timeout: the first fetch happens on a request, and HttpClient's default 100 s would hang it.
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return new ConfigurationManager<OpenIdConnectConfiguration>(
            address, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http) { RequireHttps = !environment.IsDevelopment() });
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Bearer token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning,
        Message = "Auth__DevSigningKey is set but the app runs in Azure ({Marker} is set): dev tokens are refused")]
    private static partial void LogDevKeyInAzure(ILogger logger, string marker);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning,
        Message = "Auth__DevSigningKey is set but the environment is {Environment}, not Development: dev tokens are refused")]
    private static partial void LogDevKeyIgnored(ILogger logger, string environment);
}
