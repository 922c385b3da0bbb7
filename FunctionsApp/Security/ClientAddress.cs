using System.Net;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Security;

/// <summary>
/// The anonymous client's address for rate limiting. <see cref="HttpRequestData"/> carries no remote address, so
/// it comes from <c>X-Forwarded-For</c>: behind <c>n</c> trusted proxies (each appends the address it saw), the
/// entry <c>n</c> places from the right is the one a trusted proxy wrote — entries left of it are whatever the
/// client sent. With no trusted proxy nothing in the request is trusted: <c>X-Forwarded-For</c> and
/// <c>X-Real-IP</c> are ignored and every anonymous caller is <see cref="Unknown"/>, so a client cannot pick a fresh
/// bucket per request (or drain someone else's) by writing the header.
/// </summary>
internal static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string From(HttpHeadersCollection headers, int trustedProxyHops)
    {
        if (trustedProxyHops <= 0 || !headers.TryGetValues("X-Forwarded-For", out var values))
        {
            return Unknown;
        }

        var forwarded = values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        return forwarded.Length >= trustedProxyHops ? Normalize(forwarded[^trustedProxyHops]) ?? Unknown : Unknown;
    }

    /// <summary>An IP address without port or brackets, in canonical form; null when it is not an address.</summary>
    private static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64)
        {
            return null;
        }

        var text = value.Trim();
        if (IPAddress.TryParse(text, out var address))
        {
            return Canonical(address);
        }

        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return Canonical(endpoint.Address);
        }

        return null;
    }

    private static string Canonical(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
