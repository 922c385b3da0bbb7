using System.Collections.Specialized;
using System.ComponentModel;
using RangeAttribute = System.ComponentModel.DataAnnotations.RangeAttribute;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ComponentCatalog.Mcp;

/// <summary>
/// The MCP tools: each reads through the same component the matching API function calls (search, catalog, graph,
/// lint, reports), with its arguments validated by the same rules, and answers at most
/// <see cref="McpOptions.MaxResultChars"/> characters, saying how to get the rest. All read-only.
/// </summary>
internal sealed class CatalogMcpTools(
    ComponentDocuments catalog,
    ComponentSearch search,
    ComponentGraph graph,
    CatalogLint lint,
    CatalogReports reports,
    MarkdownTemplate markdown,
    McpOptions options)
{
    [McpServerTool(Name = "search_components", Title = "Search components", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Finds components in the catalog by words and filters, like GET /api/components. Returns summaries " +
                 "{name, title, owner, tags, lifecycle, score, revision, updatedAt}, best match first when 'query' is given, " +
                 "and a continuationToken when more results exist: pass it back unchanged (with the same filters) for the next page.")]
    public async Task<CallToolResult> SearchComponents(
        [Description("Words to look for in titles, descriptions and every section; empty lists everything.")] string? query = null,
        [Description("Owning team, exactly as in the documents' 'owner'.")] string? owner = null,
        [Description("Tags that must all be present.")] string[]? tags = null,
        [Description("Name of an external library the component uses.")] string? library = null,
        [Description("Only components that depend on this component name.")] string? dependsOn = null,
        [Description("Lifecycle stage.")] Lifecycle? lifecycle = null,
        [Description("Lowest quality score (0-100)."), Range(0, 100)] int? minScore = null,
        [Description("true: only documents not reviewed or updated for Catalog__StaleAfterDays; false: only fresh ones.")] bool? stale = null,
        [Description("Results per page (1-200)."), Range(1, 200)] int limit = 20,
        [Description("The continuationToken of the previous page.")] string? continuationToken = null,
        CancellationToken ct = default)
    {
        var values = new NameValueCollection();
        Add(values, "q", query);
        Add(values, "owner", owner);
        foreach (var tag in tags ?? [])
        {
            Add(values, "tag", tag);
        }
        Add(values, "library", library);
        Add(values, "dependsOn", dependsOn);
        Add(values, "lifecycle", lifecycle?.ToString());
        Add(values, "minScore", minScore?.ToString(CultureInfo.InvariantCulture));
        Add(values, "stale", stale?.ToString().ToLowerInvariant());
        Add(values, "limit", limit.ToString(CultureInfo.InvariantCulture));
        Add(values, "continuationToken", continuationToken);

        var (searchQuery, token, pageSize) = SearchQuery.Read(new QueryParameters(values));
        var (items, next) = await search.SearchAsync(searchQuery, token, pageSize, ct);
        return ToolResults.Json(new { items = items.Select(ComponentSummary.From), continuationToken = next }, options.MaxResultChars,
            "Ask for fewer results with a smaller 'limit' and page with 'continuationToken'.");
    }

    [McpServerTool(Name = "get_component", Title = "Read a component's document", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Reads one component's documentation, like GET /api/components/{name}: as Markdown in the catalog's template " +
                 "(with YAML front matter for owner, tags, lifecycle) or as the catalog's JSON. Give 'section' to read only one " +
                 "section, e.g. 'Caching', 'API Endpoints', 'Error Handling', 'Dependencies' or an extra section's heading.")]
    public async Task<CallToolResult> GetComponent(
        [Description("The component's name (lowercase a-z, 0-9 and '-', 1-63 characters), e.g. 'payments-api'.")] string name,
        [Description("'markdown' (default) or 'json'.")] DocumentFormat format = DocumentFormat.Markdown,
        [Description("One section to return instead of the whole document: a template heading such as 'Caching', its JSON field such as 'apiEndpoints', or an extra section's heading.")] string? section = null,
        CancellationToken ct = default)
    {
        var stored = await catalog.GetAsync(name, ct);
        var document = stored.Document;
        var rest = $"Ask for one section with 'section' (sections: {string.Join(", ", MarkdownTemplate.Headings(document))}).";
        if (section is null)
        {
            return format == DocumentFormat.Json
                ? ToolResults.JsonText(System.Text.Encoding.UTF8.GetString(stored.Json), options.MaxResultChars, rest)
                : ToolResults.Text(markdown.Render(document), options.MaxResultChars, rest);
        }

        var found = markdown.RenderSection(document, section)
            ?? throw new ValidationException("section",
                $"'{name}' has no section '{section}'. Sections: {string.Join(", ", MarkdownTemplate.Headings(document))}.");
        const string partial = "The section is longer than one answer; read the whole document as JSON and take the field you need.";
        if (format == DocumentFormat.Markdown)
        {
            return ToolResults.Text(found.Markdown, options.MaxResultChars, partial);
        }

        var json = JsonSerializer.SerializeToNode(document, CatalogJson.Options)!.AsObject();
        var value = found.Field is { } field
            ? json[field]?.DeepClone()
            : JsonSerializer.SerializeToNode(document.ExtraSections!.First(e => e.Heading == found.Heading), CatalogJson.Options);
        return ToolResults.Json(new JsonObject { ["name"] = name, ["section"] = found.Heading, ["value"] = value }, options.MaxResultChars, partial);
    }

    [McpServerTool(Name = "get_dependents", Title = "Who depends on a component", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the components affected when a component changes, like GET /api/components/{name}/dependents: the ones that " +
                 "name it in Internal Modules or Related Components, and (transitive) the ones that depend on those, each with its " +
                 "depth (1 = direct), the kind of reference and the stated relationship. Ordered by depth.")]
    public async Task<CallToolResult> GetDependents(
        [Description("The component's name, e.g. 'payments-api'.")] string name,
        [Description("true (default): follow the chain to every indirect dependent; false: direct dependents only.")] bool transitive = true,
        [Description("Stop at this depth (1-100); default: no limit."), Range(1, 100)] int? maxDepth = null,
        [Description("Skip this many items (for the next page)."), Range(0, int.MaxValue)] int offset = 0,
        [Description("Items per page (1-500)."), Range(1, 500)] int limit = 100,
        CancellationToken ct = default)
    {
        Check(maxDepth is null or >= 1 and <= 100, "maxDepth", "'maxDepth' must be a whole number from 1 to 100.");
        EnsureName(name);
        await search.EnsureCurrentAsync(ct);
        var (total, nextOffset, page) = Page(graph.Dependents(name, transitive).Where(d => maxDepth is null || d.Depth <= maxDepth).ToList(), offset, limit);
        return ToolResults.Json(new { name, transitive, total, offset, nextOffset, items = page }, options.MaxResultChars,
            "Page with 'offset' and a smaller 'limit', or lower 'maxDepth'.");
    }

    [McpServerTool(Name = "get_owner", Title = "Who owns a component", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Says which team owns a component and how to reach it: the owning team (the document's 'owner'), who last " +
                 "changed the document and when, when it was last reviewed, and the team's other components.")]
    public async Task<CallToolResult> GetOwner(
        [Description("The component's name, e.g. 'payments-api'.")] string name,
        CancellationToken ct = default)
    {
        var document = (await catalog.GetAsync(name, ct)).Document;
        string[] others = [];
        if (document.Owner is { } team)
        {
            var (items, _) = await search.SearchAsync(new SearchQuery { Owner = team }, null, 50, ct);
            others = [.. items.Select(i => i.Name).Where(n => n != name)];
        }
        var reach = document.Owner is null
            ? "The document names no owning team; ask its last editor, or set 'owner' in its front matter."
            : $"Ask team '{document.Owner}' (the catalog's owner field); '{document.UpdatedBy}' changed the document last.";
        return ToolResults.Json(new
        {
            name,
            title = document.Title,
            owner = document.Owner,
            lastChangedBy = document.UpdatedBy,
            updatedAt = document.UpdatedAt,
            reviewedAt = document.ReviewedAt,
            howToReach = reach,
            teamComponents = others,
        }, options.MaxResultChars, "Search with search_components(owner=...) to page through the team's components.");
    }

    [McpServerTool(Name = "get_graph", Title = "Dependency graph around a component (Mermaid)", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Draws the dependency graph around a component as a Mermaid flowchart, like GET /api/components/{name}/graph?format=mermaid: " +
                 "what it depends on ('out'), what depends on it ('in') or both, up to 'depth' steps away. Missing components are drawn dashed.")]
    public async Task<CallToolResult> GetGraph(
        [Description("The component's name, e.g. 'payments-api'.")] string name,
        [Description("'out': its dependencies; 'in': its dependents; 'both' (default).")] GraphDirection direction = GraphDirection.Both,
        [Description("How many steps to follow (1-5)."), Range(1, ComponentGraph.MaxDepth)] int depth = 1,
        CancellationToken ct = default)
    {
        var values = new NameValueCollection { ["direction"] = direction.ToString().ToLowerInvariant(), ["depth"] = depth.ToString(CultureInfo.InvariantCulture) };
        var p = new QueryParameters(values);
        var (way, steps) = (p.OneOf("direction", "both", "out", "in", "both"), p.Int("depth", 1, ComponentGraph.MaxDepth, 1));
        EnsureName(name);
        await search.EnsureCurrentAsync(ct);
        var view = graph.Around(name, way, steps);
        return ToolResults.Text(ComponentGraph.Mermaid(view.Nodes, view.Edges), options.MaxResultChars, "Ask for a smaller 'depth' or one 'direction'.");
    }

    [McpServerTool(Name = "validate_document", Title = "Validate a component document", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Checks a Markdown component document against the catalog's template and quality rules without storing it, like " +
                 "POST /api/validate: returns {name, valid, score (0-100), findings: [{rule, severity, section, message}]}. " +
                 "Use it on a draft before proposing it; 'valid' is false when any finding is an error.")]
    public async Task<CallToolResult> ValidateDocument(
        [Description("The whole document in the template's Markdown format (optional YAML front matter first).")] string markdown,
        CancellationToken ct = default)
    {
        Check(System.Text.Encoding.UTF8.GetByteCount(markdown) <= options.MaxDocumentBytes, "markdown",
            $"The document is larger than {options.MaxDocumentBytes} bytes.");
        Check(!string.IsNullOrWhiteSpace(markdown), "markdown", "The document is empty.");
        var (name, report) = await lint.MarkdownAsync(markdown, ct);
        return ToolResults.Json(new { name, valid = report.Valid, score = report.Score, findings = report.Findings }, options.MaxResultChars,
            "Fix the errors first, then validate again.");
    }

    [McpServerTool(Name = "list_report_items", Title = "Stale and dangling items", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists what the latest maintenance run found, like GET /api/reports/{report}: 'stale' documents (not reviewed or updated " +
                 "for too long) or 'dangling' references (to components that do not exist), with when the job last ran.")]
    public async Task<CallToolResult> ListReportItems(
        [Description("'stale' or 'dangling'.")] ReportKind report,
        [Description("Skip this many items (for the next page)."), Range(0, int.MaxValue)] int offset = 0,
        [Description("Items per page (1-500)."), Range(1, 500)] int limit = 100,
        CancellationToken ct = default)
    {
        var found = await reports.ReadAsync(report.ToString().ToLowerInvariant(), ct);
        var (total, nextOffset, page) = Page(found.Items, offset, limit);
        return ToolResults.Json(new { found.Job, found.LastRun, total, offset, nextOffset, items = page }, options.MaxResultChars,
            "Page with 'offset' and a smaller 'limit'.");
    }

    /// <summary>One page of a list: its total, where the next page starts (null on the last) and the items.</summary>
    private static (int Total, int? NextOffset, List<T> Items) Page<T>(IReadOnlyList<T> all, int offset, int limit)
    {
        Check(offset >= 0, "offset", "'offset' must not be negative.");
        Check(limit is >= 1 and <= 500, "limit", "'limit' must be a whole number from 1 to 500.");
        var items = all.Skip(offset).Take(limit).ToList();
        return (all.Count, offset + items.Count < all.Count ? offset + items.Count : null, items);
    }

    private static void Add(NameValueCollection values, string name, string? value)
    {
        if (value is not null)
        {
            values.Add(name, value);
        }
    }

    private static void Check(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ValidationException(field, message);
        }
    }

    private static void EnsureName(string name) =>
        Check(Catalog.Names.IsValid(name), "name", "A component name is 1–63 lowercase letters, digits or '-', not starting or ending with '-'.");
}

internal enum DocumentFormat
{
    [JsonStringEnumMemberName("markdown")] Markdown,
    [JsonStringEnumMemberName("json")] Json,
}

internal enum GraphDirection
{
    [JsonStringEnumMemberName("both")] Both,
    [JsonStringEnumMemberName("out")] Out,
    [JsonStringEnumMemberName("in")] In,
}

internal enum ReportKind
{
    [JsonStringEnumMemberName("stale")] Stale,
    [JsonStringEnumMemberName("dangling")] Dangling,
}
