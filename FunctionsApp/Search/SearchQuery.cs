using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>The filters of <c>GET /components</c>; all given ones must hold.</summary>
public sealed record SearchQuery
{
    public string? Q { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Library { get; init; }
    public string? DependsOn { get; init; }
    public Lifecycle? Lifecycle { get; init; }
    public int? MinScore { get; init; }
    public bool? Stale { get; init; }

    /// <summary>A canonical text of the query: a continuation token is only valid for the query that made it.</summary>
    public string Fingerprint() =>
        string.Join('\u001f', Q?.Trim().ToLowerInvariant(), Owner, string.Join(',', Tags.Order(StringComparer.Ordinal)),
            Library?.ToLowerInvariant(), DependsOn, Lifecycle, MinScore, Stale);
}

/// <summary>Where a page ended: the rank (full-text only) and the name of its last item.</summary>
public sealed record SearchCursor(double? Rank, string Name);

/// <summary>One page of summaries and the cursor after it (null on the last page).</summary>
public sealed record SearchPage(IReadOnlyList<IndexEntry> Items, SearchCursor? Next);

public sealed record FacetValue(string Value, int Count);
