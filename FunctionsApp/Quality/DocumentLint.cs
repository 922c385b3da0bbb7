using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>
/// The catalog-free half of linting, shared by <c>POST /api/validate</c> and the CLI's offline <c>catalog lint</c>:
/// the parser's findings and the field errors as findings. <see cref="QualityRules.Evaluate"/> then adds the
/// rules that need to know which names exist (the catalog's index online, the linted files offline).
/// </summary>
internal static class DocumentLint
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
}
