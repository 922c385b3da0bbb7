using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace DevHost.Http;

/// <summary>Why the dev host refused a request before routing it: status, title, detail.</summary>
internal sealed record Refusal(int Status, string Title, string Detail);

/// <summary>
/// What the dev host checks before anything else, because a server on loopback is still reachable from any web page
/// the developer opens: the <c>Host</c> must be a loopback name (DNS rebinding sends the attacker's name), an
/// <c>Origin</c>, when sent, must be the dev host's own (cross-site form and <c>fetch</c> posts send theirs), and a
/// declared <c>Content-Length</c> must be within <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c> — refused at once, before a
/// byte of the body is read. Refusals are problem+json.
/// </summary>
internal static class RequestGuard
{
    public const string BodyLimitSetting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    /// <summary>The Functions host's default when the setting is absent (bytes).</summary>
    public const long DefaultMaxRequestBodyBytes = 104_857_600;

    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>The setting's value in bytes; the host default when unset or not a positive number.</summary>
    public static long ParseBodyLimit(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 ? bytes : DefaultMaxRequestBodyBytes;

    public static Refusal? Check(HttpRequest request, long maxBodyBytes)
    {
        if (!IsLoopbackHost(request.Host))
        {
            return new Refusal(StatusCodes.Status403Forbidden, "Host not allowed",
                "The dev host answers only requests addressed to 127.0.0.1, localhost or [::1].");
        }
        if (request.Headers.Origin.Count > 0 && !IsOwnOrigin(request.Headers.Origin, request.Host))
        {
            return new Refusal(StatusCodes.Status403Forbidden, "Cross-origin request refused",
                "The dev host answers pages of its own origin only; the Origin header names another site.");
        }
        if (request.ContentLength > maxBodyBytes)
        {
            return new Refusal(StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"The body is larger than {maxBodyBytes} bytes ({BodyLimitSetting}).");
        }
        return null;
    }

    public static bool IsLoopbackHost(HostString host) =>
        host.HasValue
        && LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase)
        && host.Value.Length == host.Host.Length + (host.Port is { } port ? 1 + port.ToString(CultureInfo.InvariantCulture).Length : 0);

    /// <summary>One Origin, equal to <c>http://</c> and the (loopback) Host the request was sent to.</summary>
    public static bool IsOwnOrigin(StringValues origins, HostString host) =>
        origins.Count == 1 && string.Equals(origins[0], "http://" + host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Caps what Kestrel lets the request body grow to, for bodies without a Content-Length (chunked): reading past it
    /// throws <see cref="BadHttpRequestException"/> with 413.
    /// </summary>
    public static void LimitBody(HttpContext context, long maxBodyBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBodyBytes;
        }
    }

    public static async Task WriteAsync(HttpResponse response, Refusal refusal)
    {
        response.StatusCode = refusal.Status;
        response.ContentType = "application/problem+json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", $"https://httpstatuses.io/{refusal.Status}");
        writer.WriteString("title", refusal.Title);
        writer.WriteNumber("status", refusal.Status);
        writer.WriteString("detail", refusal.Detail);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
