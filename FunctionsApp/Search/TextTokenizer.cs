using System.Globalization;
using System.Text;

namespace ComponentCatalog.Search;

/// <summary>
/// Words for full-text search: lower-cased runs of letters and digits, accents folded; each CJK
/// ideograph or kana is a word of its own (those scripts do not separate words with spaces).
/// </summary>
internal static class TextTokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
        "the", "to", "with", "this", "that", "into", "via",
    };

    public static IEnumerable<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsIdeographic(rune))
            {
                if (Flush(word) is { } w) yield return w;
                yield return rune.ToString();
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(Fold(rune));
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                if (Flush(word) is { } w) yield return w;
            }
        }
        if (Flush(word) is { } last) yield return last;
    }

    private static string? Flush(StringBuilder word)
    {
        if (word.Length == 0)
        {
            return null;
        }
        var text = word.ToString();
        word.Clear();
        return text.Length > 64 || (text.Length < 2 && !char.IsDigit(text[0])) || StopWords.Contains(text) ? null : Singular(text);
    }

    /// <summary>A light English plural fold, the same for documents and queries: "refunds" finds "refund", "policies" "policy".</summary>
    private static string Singular(string word) => word switch
    {
        { Length: > 4 } when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        { Length: > 3 } when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
            && !word.EndsWith("is", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    private static string Fold(Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune).ToString();
        if (lower.Length == 1 && lower[0] < 0x80)
        {
            return lower;
        }
        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool IsIdeographic(Rune rune) =>
        rune.Value is (>= 0x3040 and <= 0x30FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0x20000 and <= 0x2FFFF);
}
