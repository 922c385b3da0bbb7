using System.Net;
using System.Text.Json.Nodes;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Markdown;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>The component document routes: CRUD, soft delete and restore, history.</summary>
internal sealed class ComponentsFunctions(ComponentDocuments catalog, CatalogOptions options, MarkdownTemplate markdown)
{
    [Function("CreateComponent")]
    public async Task<HttpResponseData> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/components")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        var format = DocumentResponses.Negotiate(req);
        var draft = await DocumentBodies.ReadAsync(req, options.MaxBodyBytes, markdown, ct);
        var stored = await catalog.CreateAsync(draft, user, ct);
        var response = await DocumentResponses.WriteAsync(req, stored, markdown, format, HttpStatusCode.Created);
        response.Headers.Add("Location", $"/api/components/{stored.Document.Name}");
        return response;
    }

    [Function("GetComponent")]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var stored = await catalog.GetAsync(name, ct);
        return Conditions(req).IfNoneMatchMatches(stored.ETag)
            ? req.Empty(HttpStatusCode.NotModified, stored.ETag)
            : await DocumentResponses.WriteAsync(req, stored, markdown);
    }

    [Function("PutComponent")]
    public async Task<HttpResponseData> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/components/{name}")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        var format = DocumentResponses.Negotiate(req);
        var draft = await DocumentBodies.ReadAsync(req, options.MaxBodyBytes, markdown, ct);
        var (stored, created) = await catalog.PutAsync(name, draft, Conditions(req), user, ct);
        var response = await DocumentResponses.WriteAsync(req, stored, markdown, format, created ? HttpStatusCode.Created : HttpStatusCode.OK);
        if (created)
        {
            response.Headers.Add("Location", $"/api/components/{name}");
        }
        return response;
    }

    [Function("PatchComponent")]
    public async Task<HttpResponseData> Patch(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/components/{name}")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        var format = DocumentResponses.Negotiate(req);
        if (req.MediaType() is not ("application/merge-patch+json" or "application/json"))
        {
            throw new UnsupportedMediaTypeException("Send the patch as application/merge-patch+json (RFC 7396).");
        }
        var patch = RequestBody.DeserializeStrict<JsonNode>(await req.ReadTextAsync(options.MaxBodyBytes, ct));
        var stored = await catalog.PatchAsync(name, patch, Conditions(req), user, ct);
        return await DocumentResponses.WriteAsync(req, stored, markdown, format);
    }

    [Function("DeleteComponent")]
    public async Task<HttpResponseData> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/components/{name}")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        await catalog.DeleteAsync(name, Conditions(req), context.GetUser(), ct);
        return req.Empty(HttpStatusCode.NoContent);
    }

    [Function("RestoreComponent")]
    public async Task<HttpResponseData> Restore(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/components/{name}/restore")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var format = DocumentResponses.Negotiate(req);
        var stored = await catalog.RestoreAsync(name, context.GetUser(), ct);
        return await DocumentResponses.WriteAsync(req, stored, markdown, format);
    }

    [Function("ListRevisions")]
    public async Task<HttpResponseData> ListRevisions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/revisions")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var items = await catalog.ListRevisionsAsync(name, ct);
        return await req.JsonAsync(new { items });
    }

    [Function("GetRevision")]
    public async Task<HttpResponseData> GetRevision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/revisions/{revision:int}")] HttpRequestData req,
        string name, int revision, FunctionContext context, CancellationToken ct)
    {
        var stored = await catalog.GetRevisionAsync(name, revision, ct);
        return await DocumentResponses.WriteAsync(req, stored, markdown);
    }

    [Function("DiffComponent")]
    public async Task<HttpResponseData> Diff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/diff")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var p = new QueryParameters(req.Query);
        var to = p.IntOrNull("to", 1, int.MaxValue);
        var from = p.IntOrNull("from", 1, int.MaxValue);
        var (older, newer) = await catalog.DiffAsync(name, from, to, ct);
        var sections = SectionDiff.Compare(older.Document, newer.Document);
        return await req.JsonAsync(new { name, from = older.Document.Revision, to = newer.Document.Revision, sections });
    }

    private static Preconditions Conditions(HttpRequestData req) => new(Header(req, "If-Match"), Header(req, "If-None-Match"));

    private static string? Header(HttpRequestData req, string name) =>
        req.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
