using System.Net;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Security;

/// <summary>
/// The anonymous client's address for rate limiting. <see cref="HttpRequestData"/> carries no remote address, so
/// it comes from <c>X-Forwarded-For</c>: behind <c>n</c> trusted proxies (each appends the address it saw), the
/// entry <c>n</c> places from the right is the one a trusted proxy wrote — entries left of it are whatever the
/// client sent. With no trusted proxy the leftmost entry, then <c>X-Real-IP</c>, is taken as the client says it;
/// that lets a client choose its anonymous bucket (anonymous routes only), never another principal's.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string From(HttpHeadersCollection headers, int trustedProxyHops)
    {
        var forwarded = headers.TryGetValues("X-Forwarded-For", out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : [];

        string? candidate;
        if (trustedProxyHops > 0)
        {
            candidate = forwarded.Length >= trustedProxyHops ? forwarded[^trustedProxyHops] : null;
        }
        else
        {
            candidate = forwarded.FirstOrDefault()
                ?? (headers.TryGetValues("X-Real-IP", out var real) ? real.FirstOrDefault() : null);
        }

        return Normalize(candidate) ?? Unknown;
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
