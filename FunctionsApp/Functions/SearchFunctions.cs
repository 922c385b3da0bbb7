using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>Finding documents: filtered, ranked, paged listing and facet counts.</summary>
internal sealed class SearchFunctions(ComponentSearch search)
{
    [Function("ListComponents")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var (query, continuationToken, limit) = SearchQuery.Read(new QueryParameters(req.Query));
        var (items, token) = await search.SearchAsync(query, continuationToken, limit, ct);
        return await req.JsonAsync(new { items = items.Select(ComponentSummary.From), continuationToken = token });
    }

    [Function("GetFacets")]
    public async Task<HttpResponseData> Facets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/facets")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var field = new QueryParameters(req.Query).OneOf("field", "owner", "owner", "tag", "library", "lifecycle");
        var values = await search.FacetAsync(field, ct);
        return await req.JsonAsync(new { field, values });
    }
}

/// <summary>A listing item: <c>name, title, owner, tags, lifecycle, score, revision, updatedAt</c>.</summary>
internal sealed record ComponentSummary(
    string Name, string? Title, string? Owner, IReadOnlyList<string> Tags, Lifecycle? Lifecycle, int? Score, int Revision, DateTimeOffset UpdatedAt)
{
    public static ComponentSummary From(IndexEntry e) => new(e.Name, e.Title, e.Owner, e.Tags, e.Lifecycle, e.Score, e.Revision, e.UpdatedAt);
}
