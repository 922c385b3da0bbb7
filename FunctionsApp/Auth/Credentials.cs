using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Auth;

internal enum CredentialKind
{
    None,
    Bearer,
    ApiKey,
    ClientPrincipal,

    /// <summary>The website's own encrypted session cookie (<see cref="SessionTickets"/>); never read from a header.</summary>
    Session,
}

/// <summary>What the request presented, before anything is validated. <see cref="Value"/> is a secret: never log it.</summary>
internal sealed record Credentials(CredentialKind Kind, string Value)
{
    public static Credentials None { get; } = new(CredentialKind.None, string.Empty);

    /// <summary>The request was addressed to a loopback host (<c>Host: 127.0.0.1|localhost|[::1]</c>): a local run.</summary>
    public bool FromLoopback { get; init; }

    public override string ToString() => $"Credentials {{ Kind = {Kind} }}";
}

/// <summary>
/// Reads the credential headers with the hygiene rules of docs/auth.md: a credential header sent twice (or
/// folded into one with a comma), longer than <see cref="MaxHeaderLength"/>, or two kinds of credential at once
/// is a malformed request (400) — never "the first one wins". A scheme other than Bearer is 401.
/// </summary>
internal static class CredentialReader
{
    public const string AuthorizationHeader = "Authorization";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ClientPrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const int MaxHeaderLength = 8 * 1024;

    /// <summary>The platform's principal header carries every claim of the sign-in (groups too): allow more.</summary>
    public const int MaxClientPrincipalLength = 64 * 1024;

    public static Credentials Read(HttpHeadersCollection headers, bool trustClientPrincipal)
    {
        var authorization = Single(headers, AuthorizationHeader, MaxHeaderLength);
        var apiKey = Single(headers, ApiKeyHeader, MaxHeaderLength);
        if (authorization is not null && apiKey is not null)
        {
            throw new ValidationException("credentials", "Send either an Authorization header or an X-Api-Key header, not both.");
        }

        if (authorization is not null)
        {
            return new Credentials(CredentialKind.Bearer, BearerToken(authorization)) { FromLoopback = IsLoopbackHost(headers) };
        }

        if (apiKey is not null)
        {
            return apiKey.Length == 0
                ? throw new ValidationException(ApiKeyHeader, "The X-Api-Key header is empty.")
                : new Credentials(CredentialKind.ApiKey, apiKey);
        }

        if (trustClientPrincipal && Single(headers, ClientPrincipalHeader, MaxClientPrincipalLength) is { Length: > 0 } principal)
        {
            return new Credentials(CredentialKind.ClientPrincipal, principal);
        }

        return Credentials.None;
    }

    /// <summary>Whether the <c>Host</c> header names a loopback host (any port); false when it is missing or anything else.</summary>
    public static bool IsLoopbackHost(HttpHeadersCollection headers) =>
        headers.TryGetValues("Host", out var values)
        && values.ToArray() is [var host]
        && Uri.TryCreate($"http://{host}/", UriKind.Absolute, out var uri)
        && uri.IsLoopback && uri.UserInfo.Length == 0 && uri.PathAndQuery == "/";

    private static string? Single(HttpHeadersCollection headers, string name, int maxLength)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return null;
        }

        var all = values.ToArray();
        if (all.Length != 1 || all[0].Contains(',', StringComparison.Ordinal))
        {
            throw new ValidationException(name, $"Send the {name} header once, with one value.");
        }

        return all[0].Length > maxLength
            ? throw new ValidationException(name, $"The {name} header is longer than {maxLength} characters.")
            : all[0].Trim();
    }

    private static string BearerToken(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? authorization : authorization[..space];
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthorizedException("Only the Bearer scheme is supported; send 'Authorization: Bearer <token>' or an X-Api-Key.");
        }

        var token = space < 0 ? string.Empty : authorization[(space + 1)..].Trim();
        return token.Length == 0 || token.Contains(' ', StringComparison.Ordinal)
            ? throw new ValidationException(AuthorizationHeader, "Send 'Authorization: Bearer <token>' with a single token.")
            : token;
    }
}
