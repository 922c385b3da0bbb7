using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ComponentCatalog.Pages;

/// <summary>A document section as HTML for a page: its anchor id, heading and sanitised body.</summary>
internal sealed record HtmlSection(string Id, string Heading, string Html);

/// <summary>
/// Markdown → HTML for pages, safe by construction: raw HTML in the Markdown is not passed through (Markdig's
/// <c>DisableHtml</c> writes it as text), and every link or image whose URL is not http(s), mailto, a fragment or a
/// relative path loses it (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c> …). Code blocks keep their language as a
/// <c>language-*</c> class. The page's CSP (no inline script) is the second line of defence.
/// </summary>
internal static class DocumentHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    /// <summary>The document in template order (its canonical Markdown), one entry per <c>##</c> section.</summary>
    public static IReadOnlyList<HtmlSection> Sections(ComponentDocument document)
    {
        var sections = new List<HtmlSection>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (heading, markdown) in SectionDiff.Sections(MarkdownRenderer.Render(document)))
        {
            if (heading == "(front matter)") continue;
            var body = markdown.StartsWith("## ", StringComparison.Ordinal) ? markdown[(markdown.IndexOf('\n') + 1)..] : markdown;
            var id = Anchor(heading);
            for (var n = 2; !ids.Add(id); n++) id = Anchor(heading) + "-" + n;
            sections.Add(new HtmlSection(id, heading, Render(body)));
        }
        return sections;
    }

    /// <summary>Untrusted Markdown → sanitised HTML.</summary>
    public static string Render(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#unsafe-link";
            }
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!link.IsEmail && !IsSafeUrl(link.Url))
            {
                link.Url = "#unsafe-link";
            }
        }
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(6, heading.Level + 1); // sections are h2; their sub-headings start at h3
        }
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    /// <summary>http, https and mailto URLs, fragments and relative paths; nothing with another scheme.</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var slash = trimmed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon)) return true; // relative, fragment or protocol-relative
        var scheme = trimmed[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto";
    }

    /// <summary>A section heading as an id: lower-case letters and digits joined by dashes.</summary>
    public static string Anchor(string heading)
    {
        var chars = heading.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var id = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return id.Length == 0 ? "section" : "s-" + id;
    }
}
