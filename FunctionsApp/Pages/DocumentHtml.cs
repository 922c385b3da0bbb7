using ColorCode;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ComponentCatalog.Pages;

/// <summary>A document section as HTML for a page: its anchor id, heading and sanitised body.</summary>
internal sealed record HtmlSection(string Id, string Heading, string Html);

/// <summary>
/// Markdown → HTML for pages, safe by construction: raw HTML in the Markdown is not passed through (Markdig's
/// <c>DisableHtml</c> writes it as text), and every link or image whose URL is not http(s), mailto, a fragment or a
/// relative path loses it (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c> …). Code blocks keep their language as a
/// <c>language-*</c> class; fenced blocks in a language ColorCode knows are highlighted on the server
/// (<see cref="HighlightedCodeRenderer"/>: CSS classes, no inline styles, text HTML-encoded). The page's CSP (no inline
/// script) is the second line of defence.
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
        renderer.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new HighlightedCodeRenderer(renderer.ObjectRenderers.FindExact<CodeBlockRenderer>()!));
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

/// <summary>
/// Writes a fenced code block whose info string names a language ColorCode knows (<c>csharp</c>, <c>json</c>,
/// <c>sql</c>, …) as <c>&lt;pre class="hl"&gt;&lt;code class="language-x"&gt;</c> with ColorCode's token spans (classes such as
/// <c>keyword</c>, <c>string</c>, <c>comment</c>; their colours are in site.css); every other block goes to Markdig's
/// own renderer. ColorCode HTML-encodes the code text, and only its span markup is kept.
/// </summary>
internal sealed class HighlightedCodeRenderer(CodeBlockRenderer fallback) : HtmlObjectRenderer<Markdig.Syntax.CodeBlock>
{
    private static readonly HtmlClassFormatter Formatter = new();

    protected override void Write(Markdig.Renderers.HtmlRenderer renderer, Markdig.Syntax.CodeBlock block)
    {
        var language = block is FencedCodeBlock { Info: { Length: > 0 } info } ? Language(info) : null;
        if (language is null)
        {
            fallback.Write(renderer, block);
            return;
        }
        var html = Formatter.GetHtmlString(block.Lines.ToString(), language);
        // ColorCode wraps its spans in <div class="…"><pre>…</pre></div>; the page wants <pre><code>.
        var start = html.IndexOf("<pre>", StringComparison.Ordinal) + "<pre>".Length;
        var end = html.LastIndexOf("</pre>", StringComparison.Ordinal);
        renderer.EnsureLine();
        renderer.Write("<pre class=\"hl\"><code class=\"language-").WriteEscape(((FencedCodeBlock)block).Info).Write("\">");
        renderer.Write(html[start..end].TrimEnd('\n', '\r'));
        renderer.WriteLine("</code></pre>");
    }

    /// <summary>ColorCode's language for a fence's info string, or null.</summary>
    public static ILanguage? Language(string info) => info.ToLowerInvariant() switch
    {
        "cs" or "c#" or "csharp" => Languages.CSharp,
        "ts" or "typescript" => Languages.Typescript,
        "js" or "javascript" => Languages.JavaScript,
        "ps" or "ps1" or "pwsh" or "powershell" => Languages.PowerShell,
        "xml" or "html" or "csproj" => Languages.Xml,
        _ => Languages.FindById(info),
    };
}
