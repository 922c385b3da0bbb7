namespace ComponentCatalog.Markdown;

/// <summary>Matching a sub-item label at the start of a list item: <c>Cache Keys: …</c>, <c>**Cache keys** - …</c>.</summary>
internal static class Labels
{
    /// <summary>
    /// True when <paramref name="line"/> starts with <paramref name="label"/> (case, spaces, '-' and '/' ignored,
    /// optionally in bold) followed by nothing, ':' or a dash; <paramref name="rest"/> is what follows.
    /// </summary>
    public static bool TryMatch(string line, string label, out string rest)
    {
        rest = string.Empty;
        var s = line.AsSpan().Trim();
        var opened = 0;
        while (opened < s.Length && opened < 2 && s[opened] is '*' or '_')
        {
            opened++;
        }
        s = s[opened..];

        var i = 0;
        foreach (var c in label)
        {
            if (!char.IsLetterOrDigit(c))
            {
                continue;
            }
            while (i > 0 && i < s.Length && s[i] is ' ' or '-' or '/' or '_' or '&')
            {
                i++;
            }
            if (i >= s.Length || char.ToLowerInvariant(s[i]) != char.ToLowerInvariant(c))
            {
                return false;
            }
            i++;
        }
        if (i < s.Length && char.IsLetterOrDigit(s[i]))
        {
            return false;
        }

        var after = s[i..];
        after = SkipEmphasis(after, opened).TrimStart();
        if (after.Length == 0)
        {
            return true;
        }
        if (after[0] == ':')
        {
            after = SkipEmphasis(after[1..], opened).TrimStart();
            rest = after.ToString();
            return true;
        }
        if (after.Length >= 2 && after[0] is '-' or '–' or '—' && after[1] is ' ' or '\t')
        {
            rest = after[2..].TrimStart().ToString();
            return true;
        }
        return false;
    }

    private static ReadOnlySpan<char> SkipEmphasis(ReadOnlySpan<char> text, int count)
    {
        var skipped = 0;
        while (skipped < count && skipped < text.Length && text[skipped] is '*' or '_')
        {
            skipped++;
        }
        return text[skipped..];
    }
}
