namespace ComponentCatalog.Markdown;

/// <summary>
/// The canonical forms of a document's strings (docs/markdown-format.md): what the parser produces and
/// the renderer expects, so that <c>parse(render(d)) == d</c> for every canonical <c>d</c>.
/// </summary>
internal static class Canonical
{
    /// <summary>Line endings as <c>\n</c>; a lone <c>\r</c> counts as a line ending too.</summary>
    public static string Newlines(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;

    /// <summary>A one-line value (title, name, route, heading): trimmed; empty is null.</summary>
    public static string? Line(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>
    /// Section prose: <c>\n</c> endings, no blank lines before or after, no trailing whitespace at the end, no
    /// indentation shared by every line; lines otherwise verbatim (indentation and hard breaks kept). Empty is null.
    /// </summary>
    public static string? Prose(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var text = Dedent(TrimBlankLines(Newlines(value)).TrimEnd());
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// Removes the indentation (up to 3 spaces) every line shares. Markdown ignores it, and without it prose
    /// moved next to a list cannot become part of that list's last item.
    /// </summary>
    public static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var common = 3;
        foreach (var line in lines)
        {
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var spaces = 0;
            while (spaces < line.Length && spaces < common && line[spaces] == ' ')
            {
                spaces++;
            }
            common = Math.Min(common, spaces);
            if (common == 0)
            {
                return text;
            }
        }
        return string.Join('\n', lines.Select(line => line.Length >= common && line.AsSpan(0, common).IsWhiteSpace() ? line[common..] : line.TrimStart(' ')));
    }

    /// <summary>The value of a list item (a purpose, a label's text): prose that also starts without whitespace and whose first line (written after the label) has no trailing whitespace.</summary>
    public static string? ItemProse(string? value)
    {
        if (Prose(value)?.TrimStart() is not { Length: > 0 } text)
        {
            return null;
        }
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline].TrimEnd() + text[newline..];
    }

    /// <summary>An extra section's body: <c>\n</c> endings and no blank lines before or after; otherwise verbatim.</summary>
    public static string ExtraBody(string? value) => value is null ? string.Empty : TrimBlankLines(Newlines(value));

    /// <summary>Code: <c>\n</c> endings, otherwise verbatim (trailing blank lines and whitespace kept).</summary>
    public static string Code(string value) => Newlines(value);

    /// <summary>Drops whole lines of whitespace at the start and the end; keeps everything in between.</summary>
    public static string TrimBlankLines(string text)
    {
        var start = 0;
        while (true)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0 || !string.IsNullOrWhiteSpace(text[start..end]))
            {
                break;
            }
            start = end + 1;
        }

        var stop = text.Length;
        while (stop > start)
        {
            var lineStart = text.LastIndexOf('\n', stop - 1) + 1;
            if (lineStart < start)
            {
                lineStart = start;
            }
            if (!string.IsNullOrWhiteSpace(text[lineStart..stop]))
            {
                break;
            }
            stop = lineStart == start ? start : lineStart - 1;
        }
        return text[start..stop];
    }
}
