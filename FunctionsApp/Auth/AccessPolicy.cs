using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Auth;

/// <summary>
/// The outcome of the auth checks for one invocation: go on (as <see cref="User"/>, if any) or fail with
/// <see cref="Failure"/>. <see cref="CallerId"/> names an authenticated caller even when refused (403/429), for the log.
/// </summary>
public sealed record AuthDecision(CatalogUser? User, CatalogException? Failure, string? CallerId = null)
{
    public bool Allowed => Failure is null;

    public static AuthDecision Allow(CatalogUser? user) => new(user, null, user?.Id);

    public static AuthDecision Deny(CatalogException failure, CatalogUser? caller = null) => new(null, failure, caller?.Id);
}

/// <summary>
/// The one function → role table (the contract's role column). Team ownership of writes is checked by
/// <see cref="ComponentDocuments"/> against the document's owner. A function missing here needs
/// <see cref="CatalogRole.Admin"/> (fail closed); a test asserts every HTTP function of the app is listed.
/// </summary>
public static class AccessPolicy
{
    public static IReadOnlyDictionary<string, CatalogRole> RequiredRoles { get; } = new Dictionary<string, CatalogRole>(StringComparer.Ordinal)
    {
        ["Health"] = CatalogRole.None,
        ["Ping"] = CatalogRole.None,
        ["GetTemplate"] = CatalogRole.None,
        ["GetOpenApi"] = CatalogRole.None,
        ["GetProtectedResourceMetadata"] = CatalogRole.None,

        ["ListComponents"] = CatalogRole.Reader,
        ["GetFacets"] = CatalogRole.Reader,
        ["GetComponent"] = CatalogRole.Reader,
        ["ListRevisions"] = CatalogRole.Reader,
        ["GetRevision"] = CatalogRole.Reader,
        ["DiffComponent"] = CatalogRole.Reader,
        ["GetComponentGraph"] = CatalogRole.Reader,
        ["GetDependents"] = CatalogRole.Reader,
        ["GetCatalogGraph"] = CatalogRole.Reader,
        ["GetStaleReport"] = CatalogRole.Reader,
        ["GetDanglingReport"] = CatalogRole.Reader,
        ["GetQualityTrendReport"] = CatalogRole.Reader,
        ["GetQuality"] = CatalogRole.Reader,
        ["ValidateDocument"] = CatalogRole.Reader,
        ["Mcp"] = CatalogRole.Reader,
        ["McpGetStream"] = CatalogRole.Reader,
        ["ListChanges"] = CatalogRole.Reader,

        ["CreateComponent"] = CatalogRole.Writer,
        ["PutComponent"] = CatalogRole.Writer,
        ["PatchComponent"] = CatalogRole.Writer,
        ["DeleteComponent"] = CatalogRole.Writer,
        ["RestoreComponent"] = CatalogRole.Writer,
        ["ImportDocuments"] = CatalogRole.Writer,

        // Web pages and their assets: the gate lets them through, each page then authenticates the browser (cookie or
        // API credentials) and decides with the entry of the API function serving the same data (Pages/PageAuth.cs).
        ["SearchPage"] = CatalogRole.None,
        ["ComponentPage"] = CatalogRole.None,
        ["ComponentRawPage"] = CatalogRole.None,
        ["HistoryPage"] = CatalogRole.None,
        ["DiffPage"] = CatalogRole.None,
        ["EditPage"] = CatalogRole.None,
        ["NewPage"] = CatalogRole.None,
        ["GraphPage"] = CatalogRole.None,
        ["PreviewPage"] = CatalogRole.None,
        ["SignInPage"] = CatalogRole.None,
        ["SignIn"] = CatalogRole.None,
        ["SignOut"] = CatalogRole.None,
        ["SiteAsset"] = CatalogRole.None,
        // Writers manage subscriptions to their teams' components only (EventSubscriptions); admins all.
        ["CreateSubscription"] = CatalogRole.Writer,
        ["ListSubscriptions"] = CatalogRole.Writer,
        ["GetSubscription"] = CatalogRole.Writer,
        ["DeleteSubscription"] = CatalogRole.Writer,
        ["ListDeliveries"] = CatalogRole.Writer,
        ["RedeliverEvent"] = CatalogRole.Writer,

        ["CreateApiKey"] = CatalogRole.Admin,
        ["ListApiKeys"] = CatalogRole.Admin,
        ["RevokeApiKey"] = CatalogRole.Admin,
    };

    /// <summary>
    /// Functions only an interactive caller (a JWT or the platform's sign-in) may call: key management. An API key
    /// that could mint keys would outlive its own revocation through the keys it made.
    /// </summary>
    public static IReadOnlySet<string> InteractiveOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "CreateApiKey", "ListApiKeys", "RevokeApiKey",
    };

    public static CatalogRole RequiredRole(string functionName) =>
        RequiredRoles.TryGetValue(functionName, out var role) ? role : CatalogRole.Admin;

    public static bool IsAnonymous(string functionName) => RequiredRole(functionName) == CatalogRole.None;

    /// <summary>
    /// 401 without credentials, 401 <c>invalid_token</c> for refused ones, 403 below the function's role. Decided
    /// before any storage is read, so a caller who may not read learns nothing about which documents exist.
    /// </summary>
    public static AuthDecision Decide(string functionName, AuthResult result)
    {
        var required = RequiredRole(functionName);
        if (required == CatalogRole.None)
        {
            return AuthDecision.Allow(result.User);
        }

        if (result.Outcome == AuthOutcome.Anonymous)
        {
            return AuthDecision.Deny(new UnauthorizedException("Sign in: send 'Authorization: Bearer <token>' or an X-Api-Key."));
        }

        if (result is not { Outcome: AuthOutcome.Authenticated, User: { } user })
        {
            return AuthDecision.Deny(new InvalidCredentialsException());
        }

        if (!user.IsAtLeast(required))
        {
            return AuthDecision.Deny(
                new ForbiddenException($"This operation needs the role {RoleName(required)}; the caller has {RoleName(user.Role)}."),
                user);
        }

        return user.ViaApiKey && InteractiveOnly.Contains(functionName)
            ? AuthDecision.Deny(new ForbiddenException("API keys cannot manage API keys; sign in as an admin with a token."), user)
            : AuthDecision.Allow(user);
    }

    public static string RoleName(CatalogRole role) => role switch
    {
        CatalogRole.Reader => CatalogClaims.Reader,
        CatalogRole.Writer => CatalogClaims.Writer,
        CatalogRole.Admin => CatalogClaims.Admin,
        _ => "none",
    };
}
