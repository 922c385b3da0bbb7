using System.ComponentModel;
using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Search;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ComponentCatalog.Mcp;

/// <summary>
/// The MCP resources: every live component as <c>catalog://components/{name}</c> (Markdown, what
/// <c>GET /api/components/{name}</c> with <c>Accept: text/markdown</c> returns) and the blank template as
/// <c>catalog://template</c>. The list pages through the search index, 100 a page.
/// </summary>
internal sealed class CatalogMcpResources(ComponentDocuments catalog, ComponentSearch search, MarkdownTemplate markdown, McpOptions options)
{
    public const string ComponentUriPrefix = "catalog://components/";
    public const string TemplateUri = "catalog://template";
    private const int PageSize = 100;

    [McpServerResource(UriTemplate = ComponentUriPrefix + "{name}", Name = "component", Title = "Component document", MimeType = MarkdownTemplate.MediaType)]
    [Description("One component's documentation in the catalog's Markdown template, with owner, tags and lifecycle as YAML front matter.")]
    public async Task<TextResourceContents> ReadComponent(
        [Description("The component's name, e.g. 'payments-api'.")] string name, CancellationToken ct = default)
    {
        var text = markdown.Render((await catalog.GetAsync(name, ct)).Document);
        if (text.Length > options.MaxResultChars)
        {
            text = text[..options.MaxResultChars]
                   + $"\n\n<!-- truncated: showing {options.MaxResultChars} of {text.Length} characters. Read one section with the get_component tool's 'section'. -->\n";
        }
        return new TextResourceContents { Uri = ComponentUriPrefix + name, MimeType = MarkdownTemplate.MediaType, Text = text };
    }

    [McpServerResource(UriTemplate = TemplateUri, Name = "template", Title = "Blank component template", MimeType = MarkdownTemplate.MediaType)]
    [Description("The blank component documentation template every document follows (GET /api/template).")]
    public TextResourceContents ReadTemplate() =>
        new() { Uri = TemplateUri, MimeType = MarkdownTemplate.MediaType, Text = markdown.BlankTemplate };

    /// <summary><c>resources/list</c>: the components by name, a page at a time; the cursor is the search's continuation token.</summary>
    public async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> request, CancellationToken ct)
    {
        var (items, next) = await search.SearchAsync(new SearchQuery(), request.Params?.Cursor, PageSize, ct);
        return new ListResourcesResult
        {
            Resources =
            [
                .. items.Select(i => new Resource
                {
                    Uri = ComponentUriPrefix + i.Name,
                    Name = i.Name,
                    Title = i.Title,
                    MimeType = MarkdownTemplate.MediaType,
                    Description = i.Owner is null ? null : $"Owned by {i.Owner}",
                }),
            ],
            NextCursor = next,
        };
    }
}
