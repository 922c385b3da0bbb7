using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Auth;

/// <summary>Settings under <c>Auth__*</c> (docs/auth.md).</summary>
public sealed class AuthOptions
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

    /// <summary>HS256 key (its UTF-8 bytes) for dev tokens. Honoured only when the app runs in Development.</summary>
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
