using ComponentCatalog.Errors;
using ComponentCatalog.Model;

namespace ComponentCatalog.Markdown;

/// <summary>
/// The template as a wire format (docs/markdown-format.md): render a document as Markdown, parse Markdown
/// into a document plus findings, and the blank template itself. Pure; a singleton.
/// </summary>
internal sealed class MarkdownTemplate
{
    public const string MediaType = "text/markdown";
    public const string ContentType = "text/markdown; charset=utf-8";

    private readonly MarkdownParser _parser = new();

    /// <summary>The blank template, exactly as shipped.</summary>
    public string BlankTemplate => TemplateResource.Text;

    /// <summary>The document in the template's format. Server-set fields (revision, timestamps) are left out.</summary>
    public string Render(ComponentDocument document) => MarkdownRenderer.Render(document);

    /// <summary>
    /// One section of the document as the whole render would show it: <paramref name="section"/> names a template
    /// section (heading, JSON field or alias; case and punctuation ignored) or an extra section. Null when the
    /// document has no such section; the heading and JSON field of what was found.
    /// </summary>
    public (string Heading, string? Field, string Markdown)? RenderSection(ComponentDocument document, string section)
    {
        var key = TemplateSections.Key(section);
        var known = TemplateSections.Find(section) ?? TemplateSections.All.FirstOrDefault(s => TemplateSections.Key(s.Field) == key);
        if (known is not null)
        {
            return (known.Heading, known.Field, MarkdownRenderer.Render(document, known.Heading));
        }
        return document.ExtraSections?.FirstOrDefault(e => TemplateSections.Key(e.Heading) == key) is { } extra
            ? (extra.Heading, null, MarkdownRenderer.Render(document, extra.Heading))
            : null;
    }

    /// <summary>The headings a document has, in order: the template's, then its extra sections.</summary>
    public static IReadOnlyList<string> Headings(ComponentDocument document) =>
        [.. TemplateSections.All.Select(s => s.Heading), .. (document.ExtraSections ?? EquatableList<ExtraSection>.Empty).Select(e => e.Heading)];

    /// <summary>The document in <paramref name="markdown"/>, and what was noticed (placeholders, duplicates, errors).</summary>
    public MarkdownParseResult Parse(string markdown) => _parser.Parse(markdown);

    /// <summary>
    /// Parses a client's body: the document, or a <see cref="ValidationException"/> listing every error finding
    /// (a duplicated section or item, bad front matter, nesting too deep) by field.
    /// </summary>
    public ComponentDocument ParseOrThrow(string markdown) => ParseValid(markdown).Document;

    /// <summary>The parse of a document to store: its findings kept (they count in its score), a 400 when any is an error.</summary>
    public MarkdownParseResult ParseValid(string markdown)
    {
        var result = Parse(markdown);
        if (!result.HasErrors)
        {
            return result;
        }
        var errors = result.Findings
            .Where(f => f.Severity == FindingSeverity.Error)
            .GroupBy(f => f.Section, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray(), StringComparer.Ordinal);
        throw new ValidationException(errors, "The Markdown document has errors; see 'errors'.");
    }

    /// <summary>The canonical form of a document (what a Markdown round trip yields); see docs/markdown-format.md.</summary>
    public static ComponentDocument Normalize(ComponentDocument document) => DocumentNormalizer.Normalize(document);
}
