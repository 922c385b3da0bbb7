using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Auth;

/// <summary>
/// Settings under <c>WebSignIn__*</c>: the website's own OpenID Connect sign-in with Entra ID (ADR 0021). Off while
/// <see cref="Authority"/> and <see cref="ClientId"/> are empty; once either is set, the rest must be valid or the app
/// does not start.
/// </summary>
internal sealed class WebSignInOptions : IValidatableObject
{
    public const string SettingsSection = "WebSignIn";

    /// <summary>The issuer people sign in with, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its
    /// metadata is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id of the app registration people sign in with (the id_token's audience).</summary>
    public string? ClientId { get; set; }

    /// <summary>The registration's client secret, for redeeming the code (a confidential client). Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The key the session and sign-in cookies are encrypted with (≥ 32 characters of randomness).</summary>
    public string? CookieKey { get; set; }

    /// <summary>The key before the last rotation: cookies it made are still read (not made) until they expire.</summary>
    public string? PreviousCookieKey { get; set; }

    /// <summary>The registered redirect URI, <c>https://{host}/signin/callback</c>. Empty: derived from the request's URL.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>How long a sign-in lasts (and at most this long past the id_token's expiry).</summary>
    [Range(1, 24)]
    public int SessionHours { get; set; } = 8;

    public bool Enabled => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(ClientId);

    /// <summary>The metadata address of <see cref="Authority"/> (a method: validation reads every property, also when it is unset).</summary>
    public string MetadataAddress() => (Authority ?? string.Empty).TrimEnd('/') + "/.well-known/openid-configuration";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
        {
            yield return new ValidationResult(
                "WebSignIn__Authority must be an absolute https URL (http only to a loopback test provider), e.g. https://login.microsoftonline.com/<tenant>/v2.0.",
                [nameof(Authority)]);
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult("WebSignIn__ClientId is required when WebSignIn__Authority is set.", [nameof(ClientId)]);
        }
        if (string.IsNullOrEmpty(ClientSecret))
        {
            yield return new ValidationResult("WebSignIn__ClientSecret is required: the app redeems the sign-in code as a confidential client.", [nameof(ClientSecret)]);
        }
        if (CookieKey is not { Length: >= 32 })
        {
            yield return new ValidationResult("WebSignIn__CookieKey must be at least 32 characters of random text (it encrypts the session cookie).", [nameof(CookieKey)]);
        }
        if (!string.IsNullOrEmpty(PreviousCookieKey) && PreviousCookieKey.Length < 32)
        {
            yield return new ValidationResult("WebSignIn__PreviousCookieKey, when set, must be at least 32 characters.", [nameof(PreviousCookieKey)]);
        }
        if (!string.IsNullOrEmpty(RedirectUri)
            && (!Uri.TryCreate(RedirectUri, UriKind.Absolute, out var redirect) || redirect.AbsolutePath != "/signin/callback" || redirect.Query.Length > 0))
        {
            yield return new ValidationResult("WebSignIn__RedirectUri must be the absolute URL of /signin/callback, e.g. https://<app>.azurewebsites.net/signin/callback.", [nameof(RedirectUri)]);
        }
    }
}
