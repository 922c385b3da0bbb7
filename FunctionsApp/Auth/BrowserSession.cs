using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Auth;

/// <summary>
/// Credentials a browser carries in cookies: in <see cref="SessionCookie"/> the app's own sign-in session
/// (<see cref="SessionTickets"/>, encrypted) or the Development sign-in's dev token (a JWT), or App Service authentication's session (which reaches the app as the trusted <c>X-MS-CLIENT-PRINCIPAL</c>).
/// A browser sends cookies with every request, also one a hostile site triggers, so cookie credentials count on a
/// script-made request only with the double-submit CSRF proof: header <see cref="CsrfHeader"/> equal to cookie
/// <see cref="CsrfCookie"/> (HttpOnly; the page hands the value to its own scripts in a meta tag). A cross-site
/// request cannot read either, so it arrives without credentials (401) — never as the signed-in user.
/// </summary>
internal static class BrowserSession
{
    public const string SessionCookie = "catalog_session";
    public const string CsrfCookie = "catalog_csrf";
    public const string CsrfHeader = "X-Catalog-Csrf";

    /// <summary>App Service authentication's own session cookie (its presence means the principal came from a browser).</summary>
    public const string AppServiceSessionCookie = "AppServiceAuthSession";

    /// <summary>
    /// The credentials for an API (or any state-changing) request: header credentials stand; the session cookie
    /// counts only with the CSRF proof; a trusted principal that came with App Service's session cookie needs it too.
    /// </summary>
    public static Credentials ForScriptedRequest(Credentials fromHeaders, HttpHeadersCollection headers)
    {
        var cookies = Cookies(headers);
        if (fromHeaders.Kind == CredentialKind.ClientPrincipal && cookies.ContainsKey(AppServiceSessionCookie) && !CsrfProven(headers, cookies))
        {
            return Credentials.None;
        }
        if (fromHeaders.Kind != CredentialKind.None)
        {
            return fromHeaders;
        }
        return cookies.TryGetValue(SessionCookie, out var token) && token.Length > 0 && CsrfProven(headers, cookies)
            ? FromCookie(token, headers)
            : Credentials.None;
    }

    /// <summary>The credentials for a page navigation (GET): header credentials, else the session cookie.</summary>
    public static Credentials ForNavigation(Credentials fromHeaders, HttpHeadersCollection headers) =>
        fromHeaders.Kind != CredentialKind.None
            ? fromHeaders
            : Cookies(headers).TryGetValue(SessionCookie, out var token) && token.Length > 0
                ? FromCookie(token, headers)
                : Credentials.None;

    /// <summary>The session cookie's value: the app's own session ticket, else a dev token validated like a bearer token.</summary>
    private static Credentials FromCookie(string value, HttpHeadersCollection headers) =>
        SessionTickets.IsTicket(value)
            ? new Credentials(CredentialKind.Session, value)
            : new Credentials(CredentialKind.Bearer, value) { FromLoopback = CredentialReader.IsLoopbackHost(headers) };

    /// <summary>The CSRF cookie's value, when the browser sent one.</summary>
    public static string? CsrfToken(HttpHeadersCollection headers) =>
        Cookies(headers).TryGetValue(CsrfCookie, out var value) && value.Length >= 32 ? value : null;

    public static string NewCsrfToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A form field or header value proving the same origin: equal to the CSRF cookie, compared in fixed time.</summary>
    public static bool Matches(string? presented, string? cookie) =>
        presented is { Length: > 0 } && cookie is { Length: >= 32 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(cookie));

    private static bool CsrfProven(HttpHeadersCollection headers, IReadOnlyDictionary<string, string> cookies) =>
        headers.TryGetValues(CsrfHeader, out var values) && values.Count() == 1
        && Matches(values.Single(), cookies.GetValueOrDefault(CsrfCookie));

    /// <summary>The request's cookies (RFC 6265 <c>Cookie: a=b; c=d</c>); a name sent twice keeps its first value.</summary>
    public static IReadOnlyDictionary<string, string> Cookies(HttpHeadersCollection headers)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!headers.TryGetValues("Cookie", out var values))
        {
            return cookies;
        }
        foreach (var pair in values.SelectMany(v => v.Split(';')))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = pair[..eq].Trim();
            var value = pair[(eq + 1)..].Trim().Trim('"');
            cookies.TryAdd(name, Uri.UnescapeDataString(value));
        }
        return cookies;
    }
}
