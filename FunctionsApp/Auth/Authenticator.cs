using ComponentCatalog.Catalog;

namespace ComponentCatalog.Auth;

internal enum AuthOutcome
{
    /// <summary>No credentials were sent.</summary>
    Anonymous,

    /// <summary>Credentials were sent and accepted.</summary>
    Authenticated,

    /// <summary>Credentials were sent and refused: 401 with <c>error="invalid_token"</c>.</summary>
    Rejected,
}

/// <summary>Who the request is, as far as its credentials say; the role check comes after (<see cref="AccessPolicy"/>).</summary>
internal sealed record AuthResult(AuthOutcome Outcome, CatalogUser? User = null)
{
    public static AuthResult Anonymous { get; } = new(AuthOutcome.Anonymous);
    public static AuthResult Rejected { get; } = new(AuthOutcome.Rejected);

    public static AuthResult For(CatalogUser? user) => user is null ? Rejected : new(AuthOutcome.Authenticated, user);
}

/// <summary>
/// Turns the presented credentials into a caller: JWT, API key, the website's session cookie, or (when trusted) App
/// Service's principal. A session cookie that cannot be read (tampered, expired, an unknown key) is no sign-in at all:
/// the browser is signed out, as if it had sent none.
/// </summary>
internal sealed class Authenticator(JwtValidator jwt, ApiKeyService apiKeys, SessionTickets? sessions = null)
{
    public async Task<AuthResult> AuthenticateAsync(Credentials credentials, CancellationToken ct = default) => credentials.Kind switch
    {
        CredentialKind.Bearer => AuthResult.For(await jwt.ValidateAsync(credentials.Value, credentials.FromLoopback, ct)),
        CredentialKind.ApiKey => AuthResult.For(await apiKeys.AuthenticateAsync(credentials.Value, ct)),
        CredentialKind.ClientPrincipal => AuthResult.For(ClientPrincipal.Parse(credentials.Value)),
        CredentialKind.Session => sessions?.Read(credentials.Value) is { } user ? new AuthResult(AuthOutcome.Authenticated, user) : AuthResult.Anonymous,
        _ => AuthResult.Anonymous,
    };
}
