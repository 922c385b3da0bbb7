using System.ComponentModel;
using System.Text.Json;
using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ComponentCatalog.Mcp;

/// <summary>The MCP prompts: write a component's document from pasted material, and review a stored one.</summary>
internal sealed class CatalogMcpPrompts(ComponentDocuments catalog, MarkdownTemplate markdown, McpOptions options)
{
    [McpServerPrompt(Name = "document_component", Title = "Document this component")]
    [Description("Fills the catalog's template for a component from material the user pastes (code, README, notes), then validates the draft with validate_document.")]
    public GetPromptResult DocumentComponent(
        [Description("The component's name, e.g. 'payments-api' (lowercase a-z, 0-9 and '-').")] string name,
        [Description("What the document should be written from: code, a README, design notes, anything pasted.")] string material)
    {
        var text = $"""
            Write the documentation of the component '{name}' for the Component Catalog.

            Use exactly the template below: keep every '## ' heading in its order, fill each section from the material,
            and write "None" or leave a section empty when the material says nothing about it. Never leave template
            placeholders such as [Component Name] or bodies that are only `pass`. Put `owner`, `tags` and `lifecycle`
            (experimental, production or deprecated) in YAML front matter at the top when the material tells them.

            When the draft is ready, call the `validate_document` tool with it. Fix every finding of severity "error",
            and the warnings you can, then validate again until `valid` is true. Answer with the final Markdown and its score.

            Template:
            ```markdown
            {markdown.BlankTemplate}
            ```

            Material:
            ```
            {Cap(material)}
            ```
            """;
        return new GetPromptResult
        {
            Description = $"Document '{name}' in the catalog's template, then validate it.",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
        };
    }

    [McpServerPrompt(Name = "review_component_doc", Title = "Review this component's doc")]
    [Description("Explains the quality findings of a stored component document (GET /api/components/{name}/quality) and proposes concrete fixes.")]
    public async Task<GetPromptResult> ReviewComponentDoc(
        [Description("The component's name, e.g. 'payments-api'.")] string name,
        CancellationToken ct = default)
    {
        var document = (await catalog.GetAsync(name, ct)).Document;
        var report = await catalog.QualityAsync(name, ct);
        var text = $"""
            Review the catalog documentation of the component '{name}'. Its quality score is {report.Score}/100.
            For each finding below, say in one or two sentences what it means for a reader of the document and
            propose the exact text to add or change in the named section. Start with errors, then warnings, then info.
            If there are no findings, say what would still make the document more useful.

            Findings (JSON):
            ```json
            {JsonSerializer.Serialize(report.Findings, CatalogJson.Options)}
            ```

            Document:
            ```markdown
            {Cap(markdown.Render(document))}
            ```
            """;
        return new GetPromptResult
        {
            Description = $"Quality review of '{name}' (score {report.Score}).",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
        };
    }

    private string Cap(string text) =>
        text.Length <= options.MaxResultChars ? text : text[..options.MaxResultChars] + $"\n[truncated: {text.Length - options.MaxResultChars} more characters]";
}
