using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ComponentCatalog.Catalog;

/// <summary>Component names: lowercase a-z, 0-9 and '-', 1–63 chars, no leading or trailing '-'.</summary>
internal static partial class Names
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The name a document is stored under: its own, or the slug of its title; null when it has neither.</summary>
    public static string? NameOf(Model.ComponentDocument document) =>
        document.Name ?? (document.Title is { } title && Slug(title) is { Length: > 0 } slug ? slug : null);

    /// <summary><see cref="NameOf"/> of a document that passed validation, which guarantees a name.</summary>
    public static string NameOrSlug(this Model.ComponentDocument document) =>
        NameOf(document) ?? throw new InvalidOperationException("A validated document has a name or a title to slug.");

    /// <summary>"User Auth Service" → "user-auth-service"; accents folded, other characters dropped.</summary>
    public static string Slug(string title)
    {
        var folded = title.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(folded.Length);
        var pendingDash = false;
        foreach (var c in folded)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterOrDigit(lower))
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }
                builder.Append(lower);
                pendingDash = false;
            }
            else
            {
                pendingDash = true;
            }
        }

        var slug = builder.Length > MaxLength ? builder.ToString(0, MaxLength) : builder.ToString();
        return slug.TrimEnd('-');
    }

    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
