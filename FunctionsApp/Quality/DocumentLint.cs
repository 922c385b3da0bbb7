using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>The result of linting a body that is not stored: the name it would get and its quality report.</summary>
public sealed record LintResult(string? Name, QualityReport Report);

/// <summary>
/// Lints a document without storing it: field errors and Markdown problems become findings instead of a 400,
/// then the one scoring rule (<see cref="ComponentQuality"/>) scores it. Online for <c>POST /api/validate</c> and
/// the MCP <c>validate_document</c> tool; the static half is the CLI's offline <c>catalog lint</c>, which resolves
/// names against the linted files instead of the catalog.
/// </summary>
public sealed class DocumentLint(MarkdownTemplate markdown, ComponentQuality quality)
{
    /// <summary>A Markdown body: the document and what the parser and the field checks noticed.</summary>
    public static (ComponentDocument Document, IReadOnlyList<Finding> Findings) Markdown(MarkdownTemplate markdown, string text)
    {
        var parsed = markdown.Parse(text);
        return (parsed.Document, parsed.Findings.Concat(Json(parsed.Document)).ToList());
    }

    /// <summary>A JSON body: the field checks as findings.</summary>
    public static IReadOnlyList<Finding> Json(ComponentDocument document) =>
        QualityRules.FromValidation(DocumentValidator.Validate(document)).ToList();

    public Task<LintResult> MarkdownAsync(string text, CancellationToken ct = default)
    {
        var (document, findings) = Markdown(markdown, text);
        return EvaluateAsync(document, findings, ct);
    }

    public Task<LintResult> JsonAsync(ComponentDocument document, CancellationToken ct = default) =>
        EvaluateAsync(document, Json(document), ct);

    private async Task<LintResult> EvaluateAsync(ComponentDocument document, IReadOnlyList<Finding> findings, CancellationToken ct)
    {
        var report = await quality.EvaluateAsync(document, findings, ct: ct);
        return new LintResult(Names.NameOf(document), report);
    }
}
