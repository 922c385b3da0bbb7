using ComponentCatalog.Errors;

namespace ComponentCatalog.Catalog;

/// <summary>
/// The conditional headers of a request. Strong comparison only (RFC 9110 §13.1.1 for If-Match);
/// malformed values are a 400, not silently ignored.
/// </summary>
internal sealed record Preconditions(string? IfMatch, string? IfNoneMatch)
{
    public static Preconditions None { get; } = new(null, null);

    public bool IfMatchAny => IfMatch?.Trim() == "*";

    public bool IfNoneMatchAny => IfNoneMatch?.Trim() == "*";

    /// <summary>True when If-Match is absent, <c>*</c>, or lists <paramref name="etag"/>.</summary>
    public bool IfMatchHolds(string etag) => IfMatch is null || IfMatchAny || Parse(IfMatch, "If-Match").Contains(etag);

    /// <summary>True when If-None-Match lists <paramref name="etag"/> (weak comparison, for GET → 304).</summary>
    public bool IfNoneMatchMatches(string etag) =>
        IfNoneMatch is not null && (IfNoneMatchAny || Parse(IfNoneMatch, "If-None-Match").Select(StripWeak).Contains(etag));

    /// <summary>Throws on a malformed header so a typo never turns into an unconditional write.</summary>
    public void EnsureWellFormed()
    {
        if (IfMatch is not null && !IfMatchAny) _ = Parse(IfMatch, "If-Match");
        if (IfNoneMatch is not null && !IfNoneMatchAny) _ = Parse(IfNoneMatch, "If-None-Match");
    }

    private static string StripWeak(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static List<string> Parse(string header, string name)
    {
        var tags = new List<string>();
        foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = StripWeak(raw);
            if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"' || tag[1..^1].Contains('"'))
            {
                throw new ValidationException(name, $"'{name}' must be '*' or quoted entity tags such as \"3\".");
            }
            tags.Add(raw.StartsWith("W/", StringComparison.Ordinal) && name == "If-Match" ? "W/" + tag : tag);
        }
        if (tags.Count == 0)
        {
            throw new ValidationException(name, $"'{name}' is empty.");
        }
        return tags;
    }
}
