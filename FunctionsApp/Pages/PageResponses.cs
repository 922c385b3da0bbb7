using System.Net;
using ComponentCatalog.Web;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Pages;

/// <summary>Writes pages and assets with the site's security headers.</summary>
internal static class PageResponses
{
    /// <summary>Scripts and styles only from the app itself: no inline script or style, no plugins, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, PageResult page)
    {
        var response = request.CreateResponse(page.Status);
        Secure(response);
        response.Headers.Add("Cache-Control", "no-store");
        if (page.Location is { } location)
        {
            response.Headers.Add("Location", location);
        }
        foreach (var (name, value, maxAge, lax) in page.Cookies)
        {
            response.Cookies.Append(new HttpCookie(name, value)
            {
                Path = "/",
                HttpOnly = true,
                Secure = !IsLocalHttp(request.Url),
                SameSite = lax ? SameSite.Lax : SameSite.Strict,
                MaxAge = maxAge is { } age ? age.TotalSeconds : null,
            });
        }
        if (page.ServerTiming is { } timing)
        {
            response.Headers.Add("Server-Timing", timing);
        }
        response.Headers.Add("Content-Type", page.ContentType);
        await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(page.Body));
        return response;
    }

    /// <summary>A fingerprinted asset, cached for a year; an unknown or outdated fingerprint is a 404.</summary>
    public static async Task<HttpResponseData> AssetAsync(HttpRequestData request, string file)
    {
        if (SiteAssets.Find(file) is not { } asset)
        {
            var missing = request.CreateResponse(HttpStatusCode.NotFound);
            Secure(missing);
            return missing;
        }
        var response = request.CreateResponse(HttpStatusCode.OK);
        Secure(response);
        response.Headers.Add("Cache-Control", SiteAssets.CacheControl);
        response.Headers.Add("Content-Type", asset.ContentType);
        await response.Body.WriteAsync(asset.Bytes);
        return response;
    }

    /// <summary>
    /// Plain http to a loopback address: the local dev host. Browsers drop <c>Secure</c> cookies sent over http to
    /// 127.0.0.1, so only there they go without it; everywhere else (Azure is https-only) they are <c>Secure</c>.
    /// </summary>
    public static bool IsLocalHttp(Uri url) =>
        url.Scheme == Uri.UriSchemeHttp && (url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));

    private static void Secure(HttpResponseData response)
    {
        response.Headers.Add("Content-Security-Policy", ContentSecurityPolicy);
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        response.Headers.Add("Referrer-Policy", "same-origin");
        response.Headers.Add("X-Frame-Options", "DENY");
    }
}
