using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>The filters of <c>GET /components</c>; all given ones must hold.</summary>
internal sealed record SearchQuery
{
    public string? Q { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Library { get; init; }
    public string? DependsOn { get; init; }
    public Lifecycle? Lifecycle { get; init; }
    public int? MinScore { get; init; }
    public bool? Stale { get; init; }

    /// <summary>
    /// The filters, page size (1–200, default 50) and continuation token of a query string, validated the one way
    /// <c>GET /components</c> and the MCP <c>search_components</c> tool share.
    /// </summary>
    public static (SearchQuery Query, string? ContinuationToken, int Limit) Read(Http.QueryParameters p) => (
        new SearchQuery
        {
            Q = p.String("q", 500),
            Owner = p.String("owner", 63),
            Tags = p.Strings("tag"),
            Library = p.String("library"),
            DependsOn = p.String("dependsOn", 63),
            Lifecycle = p.Enum<Lifecycle>("lifecycle"),
            MinScore = p.IntOrNull("minScore", 0, 100),
            Stale = p.Bool("stale"),
        },
        p.String("continuationToken", 1024),
        p.Int("limit", 1, 200, 50));

    /// <summary>A canonical text of the query: a continuation token is only valid for the query that made it.</summary>
    public string Fingerprint() =>
        string.Join('\u001f', Q?.Trim().ToLowerInvariant(), Owner, string.Join(',', Tags.Order(StringComparer.Ordinal)),
            Library?.ToLowerInvariant(), DependsOn, Lifecycle, MinScore, Stale);
}

/// <summary>Where a page ended: the rank (full-text only) and the name of its last item.</summary>
internal sealed record SearchCursor(double? Rank, string Name);

/// <summary>One page of summaries and the cursor after it (null on the last page).</summary>
internal sealed record SearchPage(IReadOnlyList<IndexEntry> Items, SearchCursor? Next);

internal sealed record FacetValue(string Value, int Count);
