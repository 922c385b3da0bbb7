using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Auth;

/// <summary>Settings under <c>Auth__*</c> (docs/auth.md).</summary>
internal sealed class AuthOptions
{
    public const string SettingsSection = "Auth";

    /// <summary>The <c>iss</c> every token must carry, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    [Required]
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The <c>aud</c> every token must carry: the API's application ID URI or client id.</summary>
    [Required]
    public string Audience { get; set; } = string.Empty;

    /// <summary>
    /// The issuer's OpenID Connect metadata (its JWKS is read from there). Defaults to
    /// <c>{Issuer}/.well-known/openid-configuration</c> outside Development; in Development it is used only when set.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The dev key of local.settings.sample.json: public, so its tokens count only for requests to a loopback host.</summary>
    public const string SampleDevSigningKey = "local-development-only-signing-key-not-a-secret-0123456789";

    /// <summary>HS256 key (its UTF-8 bytes) for dev tokens. Honoured only in Development and never in Azure.</summary>
    [MinLength(32)]
    public string? DevSigningKey { get; set; }

    /// <summary>
    /// Accept <c>X-MS-CLIENT-PRINCIPAL</c>. Only behind App Service / Container Apps authentication, which strips
    /// client copies of the header; anywhere else anyone could forge it.
    /// </summary>
    public bool TrustAppServiceAuthentication { get; set; }

    [Range(0, 30)]
    public int ClockSkewSeconds { get; set; } = 30;
}
