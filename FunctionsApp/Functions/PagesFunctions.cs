using ComponentCatalog.Pages;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>
/// The website at the site root (docs/api-contract.md, appendix "Pages"): HTML pages over the same components as
/// the API. The search page's route is an optional parameter that only <c>search</c> satisfies, so it answers
/// <c>/</c> (a route cannot be empty) and <c>/search</c>, and never shadows another route.
/// </summary>
internal sealed class PagesFunctions(WebPages pages, OidcSignIn signIn)
{
    [Function("SearchPage")]
    public async Task<HttpResponseData> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{page:regex(^search$)?}")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.SearchAsync(req, ct));

    [Function("ComponentPage")]
    public async Task<HttpResponseData> Component(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "components/{name}")] HttpRequestData req, string name, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.ComponentAsync(req, name, ct));

    [Function("ComponentRawPage")]
    public async Task<HttpResponseData> Raw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "components/{name}/raw")] HttpRequestData req, string name, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.RawAsync(req, name, ct));

    [Function("HistoryPage")]
    public async Task<HttpResponseData> History(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "components/{name}/history")] HttpRequestData req, string name, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.HistoryAsync(req, name, ct));

    [Function("DiffPage")]
    public async Task<HttpResponseData> Diff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "components/{name}/diff")] HttpRequestData req, string name, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.DiffAsync(req, name, ct));

    [Function("EditPage")]
    public async Task<HttpResponseData> Edit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "components/{name}/edit")] HttpRequestData req, string name, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.EditAsync(req, name, ct));

    [Function("NewPage")]
    public async Task<HttpResponseData> New(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "new")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.NewAsync(req, ct));

    [Function("GraphPage")]
    public async Task<HttpResponseData> Graph(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "graph")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.GraphAsync(req, ct));

    [Function("PreviewPage")]
    public async Task<HttpResponseData> Preview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "preview")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.PreviewAsync(req, ct));

    [Function("SignInPage")]
    public async Task<HttpResponseData> SignInForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.SignInFormAsync(req, ct));

    [Function("SignInCallback")]
    public async Task<HttpResponseData> SignInCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin/callback")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await signIn.CallbackAsync(req, ct));

    [Function("SignIn")]
    public async Task<HttpResponseData> SignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.SignInAsync(req, ct));

    [Function("SignOut")]
    public async Task<HttpResponseData> SignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequestData req, CancellationToken ct) =>
        await PageResponses.WriteAsync(req, await pages.SignOutAsync(req, ct));

    [Function("SiteAsset")]
    public Task<HttpResponseData> Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{file}")] HttpRequestData req, string file) =>
        PageResponses.AssetAsync(req, file);
}
