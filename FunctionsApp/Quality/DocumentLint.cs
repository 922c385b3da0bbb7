using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>The result of linting a body that is not stored: the name it would get and its quality report.</summary>
public sealed record LintResult(string? Name, QualityReport Report);

/// <summary>
/// Lints a document without storing it (<c>POST /validate</c> and the MCP <c>validate_document</c> tool): field
/// errors and Markdown problems become findings instead of a 400, then the quality rules score it.
/// </summary>
public sealed class DocumentLint(MarkdownTemplate markdown, ComponentQuality quality)
{
    public Task<LintResult> MarkdownAsync(string text, CancellationToken ct = default)
    {
        var parsed = markdown.Parse(text);
        return EvaluateAsync(parsed.Document, parsed.Findings.Concat(QualityRules.FromValidation(DocumentValidator.Validate(parsed.Document))), ct);
    }

    public Task<LintResult> JsonAsync(ComponentDocument document, CancellationToken ct = default) =>
        EvaluateAsync(document, QualityRules.FromValidation(DocumentValidator.Validate(document)), ct);

    private async Task<LintResult> EvaluateAsync(ComponentDocument document, IEnumerable<Finding> findings, CancellationToken ct)
    {
        var report = await quality.EvaluateAsync(document, findings.ToList(), ct: ct);
        return new LintResult(Names.NameOf(document), report);
    }
}
