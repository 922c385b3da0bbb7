using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>The result of linting a body that is not stored: the name it would get and its quality report.</summary>
internal sealed record LintResult(string? Name, QualityReport Report);

/// <summary>
/// Lints a document against the catalog without storing it, as <c>POST /api/validate</c> does: the catalog-free
/// findings of <see cref="DocumentLint"/>, then the quality rules with references resolved against the catalog.
/// Used by the MCP <c>validate_document</c> tool.
/// </summary>
internal sealed class CatalogLint(MarkdownTemplate markdown, ComponentQuality quality)
{
    public Task<LintResult> MarkdownAsync(string text, CancellationToken ct = default)
    {
        var (document, findings) = DocumentLint.Markdown(markdown, text);
        return EvaluateAsync(document, findings, ct);
    }

    public Task<LintResult> JsonAsync(ComponentDocument document, CancellationToken ct = default) =>
        EvaluateAsync(document, DocumentLint.Json(document), ct);

    private async Task<LintResult> EvaluateAsync(ComponentDocument document, IReadOnlyList<Finding> findings, CancellationToken ct) =>
        new(Names.NameOf(document), await quality.EvaluateAsync(document, findings, ct: ct));
}
