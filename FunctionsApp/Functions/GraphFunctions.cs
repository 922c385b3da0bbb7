using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using ComponentCatalog.Search;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>The dependency graph: around one component, its dependents, and the whole catalog.</summary>
internal sealed class GraphFunctions(ComponentSearch search, ComponentGraph graph)
{
    [Function("GetComponentGraph")]
    public async Task<HttpResponseData> Around(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/graph")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var p = new QueryParameters(req.Query);
        var direction = p.OneOf("direction", "both", "out", "in", "both");
        var depth = p.Int("depth", 1, ComponentGraph.MaxDepth, 1);
        var format = p.OneOf("format", "json", "json", "mermaid", "dot");
        await search.EnsureCurrentAsync(ct);
        var view = graph.Around(name, direction, depth);
        return format switch
        {
            "mermaid" => await req.TextAsync(ComponentGraph.Mermaid(view.Nodes, view.Edges), "text/vnd.mermaid; charset=utf-8"),
            "dot" => await req.TextAsync(ComponentGraph.Dot(view.Nodes, view.Edges), "text/vnd.graphviz; charset=utf-8"),
            _ => await req.JsonAsync(view),
        };
    }

    [Function("GetDependents")]
    public async Task<HttpResponseData> Dependents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/dependents")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var transitive = new QueryParameters(req.Query).Bool("transitive") ?? false;
        await search.EnsureCurrentAsync(ct);
        return await req.JsonAsync(new { name, transitive, items = graph.Dependents(name, transitive) });
    }

    [Function("GetCatalogGraph")]
    public async Task<HttpResponseData> Whole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/graph")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var format = new QueryParameters(req.Query).OneOf("format", "json", "json", "mermaid", "dot");
        await search.EnsureCurrentAsync(ct);
        var whole = graph.Whole();
        return format switch
        {
            "mermaid" => await req.TextAsync(ComponentGraph.Mermaid(whole.Nodes, whole.Edges), "text/vnd.mermaid; charset=utf-8"),
            "dot" => await req.TextAsync(ComponentGraph.Dot(whole.Nodes, whole.Edges), "text/vnd.graphviz; charset=utf-8"),
            _ => await req.JsonAsync(whole),
        };
    }
}
