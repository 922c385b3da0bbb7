using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Web;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Pages;

/// <summary>Who a page request is (as authenticated, before any role is checked) and the CSRF token its scripts and forms carry.</summary>
internal sealed record PageCaller(AuthResult Authentication, string CsrfToken, bool NewCsrfCookie, bool SignInOffered)
{
    public CatalogUser? User => Authentication.User;

    public Viewer Viewer => new(
        User?.Id, User is null ? "signed out" : AccessPolicy.RoleName(User.Role), User?.Teams.Order(StringComparer.Ordinal).ToList() ?? [], SignInOffered, CsrfToken)
    {
        DisplayName = User?.DisplayName,
    };
}

/// <summary>
/// Authenticates a page request with the API's own machinery and decides with the API's table: the credentials
/// are read as the API reads them (Bearer, X-Api-Key, a trusted App Service principal), else the session cookie (the
/// app's own sign-in or the Development sign-in's); <see cref="Authenticator"/> validates them, and each page then applies the role of the API function
/// that serves the same data with <see cref="AccessPolicy.Authorize"/>. Writes are decided by <see cref="ComponentDocuments"/>
/// when the editor calls the API; the pages only hide what the caller may not do (<see cref="CatalogUser.CanWriteFor"/>).
/// </summary>
internal sealed class PageAuth(Authenticator authenticator, AuthOptions options, JwtValidator jwt, OidcSignIn oidc)
{
    public async Task<PageCaller> AuthenticateAsync(HttpRequestData request, bool stateChanging, CancellationToken ct)
    {
        var fromHeaders = CredentialReader.Read(request.Headers, options.TrustAppServiceAuthentication);
        var credentials = stateChanging
            ? BrowserSession.ForScriptedRequest(fromHeaders, request.Headers)
            : BrowserSession.ForNavigation(fromHeaders, request.Headers);
        var result = await authenticator.AuthenticateAsync(credentials, ct);
        var csrf = BrowserSession.CsrfToken(request.Headers);
        return new PageCaller(result, csrf ?? BrowserSession.NewCsrfToken(), csrf is null, jwt.AcceptsDevTokens || oidc.Enabled);
    }
}
