namespace ComponentCatalog.Markdown;

/// <summary>Inline code spans (<c>`backend/payments`</c>) written and read the CommonMark way.</summary>
internal static class CodeSpans
{
    /// <summary>Wraps text in a code span whose backtick run is longer than any run inside it.</summary>
    public static string Wrap(string text)
    {
        var fence = new string('`', LongestRun(text, '`') + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') || (text.StartsWith(' ') && text.EndsWith(' ') && text.Trim().Length > 0) ? " " : string.Empty;
        return fence + pad + text + pad + fence;
    }

    /// <summary>The content when <paramref name="text"/> is exactly one code span; otherwise the text unchanged.</summary>
    public static string Unwrap(string text)
    {
        var open = 0;
        while (open < text.Length && text[open] == '`')
        {
            open++;
        }
        if (open == 0 || text.Length <= 2 * open)
        {
            return text;
        }
        var close = 0;
        while (close < text.Length - open && text[text.Length - 1 - close] == '`')
        {
            close++;
        }
        if (close != open)
        {
            return text;
        }
        var inner = text[open..^open];
        if (HasRunOf(inner, open))
        {
            return text;
        }
        return inner.Length >= 2 && inner[0] == ' ' && inner[^1] == ' ' && inner.Trim().Length > 0 ? inner[1..^1] : inner;
    }

    public static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    private static bool HasRunOf(string text, int length)
    {
        var run = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == '`')
            {
                run++;
                continue;
            }
            if (run == length)
            {
                return true;
            }
            run = 0;
        }
        return false;
    }
}
