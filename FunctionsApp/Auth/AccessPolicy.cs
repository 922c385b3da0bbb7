using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Auth;

/// <summary>
/// The one function → role table (the contract's role column). Team ownership of writes is checked by
/// <see cref="ComponentDocuments"/> against the document's owner. A function missing here needs
/// <see cref="CatalogRole.Admin"/> (fail closed); a test asserts every HTTP function of the app is listed.
/// </summary>
internal static class AccessPolicy
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
        ["SignInCallback"] = CatalogRole.None,
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
    /// May <paramref name="result"/>'s caller call <paramref name="functionName"/>: the caller to run it as (none for an
    /// anonymous function called without credentials), or a refusal thrown: 401 without credentials, 401
    /// <c>invalid_token</c> for refused ones, 403 below the function's role. Decided before any storage is read, so a
    /// caller who may not read learns nothing about which documents exist.
    /// </summary>
    public static CatalogUser? Authorize(string functionName, AuthResult result)
    {
        var required = RequiredRole(functionName);
        if (required == CatalogRole.None)
        {
            return result.User;
        }

        if (result.Outcome == AuthOutcome.Anonymous)
        {
            throw new UnauthorizedException("Sign in: send 'Authorization: Bearer <token>' or an X-Api-Key.");
        }

        if (result is not { Outcome: AuthOutcome.Authenticated, User: { } user })
        {
            throw new InvalidCredentialsException();
        }

        if (!user.IsAtLeast(required))
        {
            throw new ForbiddenException($"This operation needs the role {RoleName(required)}; the caller has {RoleName(user.Role)}.");
        }

        return user.ViaApiKey && InteractiveOnly.Contains(functionName)
            ? throw new ForbiddenException("API keys cannot manage API keys; sign in as an admin with a token.")
            : user;
    }

    public static string RoleName(CatalogRole role) => role switch
    {
        CatalogRole.Reader => CatalogClaims.Reader,
        CatalogRole.Writer => CatalogClaims.Writer,
        CatalogRole.Admin => CatalogClaims.Admin,
        _ => "none",
    };
}
