using Microsoft.AspNetCore.Components;

namespace ComponentCatalog.Web;

// View models: what each page shows, already decided by FunctionsApp (auth, catalog reads). Pages only lay it out;
// Razor escapes every string, and the only markup passed in is the sanitised Markdown HTML (SectionView.Html).

/// <summary>Who is looking, and what the shell needs to show it.</summary>
public sealed record Viewer(string? Id, string Role, IReadOnlyList<string> Teams, bool SignInOffered, string? CsrfToken)
{
    public bool SignedIn => Id is not null;

    /// <summary>What the header shows: the sign-in's name when it has one, else the id.</summary>
    public string? DisplayName { get; init; }
}

public sealed record FacetOption(string Value, int Count, bool Selected, string Url);

public sealed record FacetGroup(string Field, string Label, IReadOnlyList<FacetOption> Options);

public sealed record SearchHit(
    string Name, string? Title, string? Owner, IReadOnlyList<string> Tags, string? Lifecycle, int? Score, bool Stale, int Revision, DateTimeOffset UpdatedAt);

public sealed record SearchView(string? Query, int Total, IReadOnlyList<FacetGroup> Facets, IReadOnlyList<SearchHit> Hits, string? NextUrl, string? FirstUrl, string? ClearUrl);

public sealed record SectionView(string Id, string Heading, MarkupString Html);

public sealed record FindingView(string Severity, string Rule, string Message, string? SectionId, string SectionLabel);

public sealed record ReferenceView(string Name, string? Note, bool Exists);

public sealed record DependentView(string Name, string? Title, int Depth, string Kind);

public sealed record RevisionView(int Revision, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record GraphNodeView(string Name, string? Title, double X, double Y, bool Exists, bool Root, bool Highlight);

public sealed record GraphEdgeView(string From, string To, double X1, double Y1, double X2, double Y2, string Kind, bool Highlight);

/// <summary>A laid-out graph picture: SVG coordinates already computed.</summary>
public sealed record GraphPictureView(IReadOnlyList<GraphNodeView> Nodes, IReadOnlyList<GraphEdgeView> Edges, double Width, double Height)
{
    public const double NodeWidth = 180;
    public const double NodeHeight = 36;
}

public sealed record ComponentView(
    string Name, string? Title, string? Owner, IReadOnlyList<string> Tags, string? Lifecycle, DateTimeOffset? ReviewedAt,
    DateTimeOffset? UpdatedAt, string? UpdatedBy, int Revision, int? Score, bool Stale,
    IReadOnlyList<SectionView> Sections, IReadOnlyList<FindingView> Findings,
    IReadOnlyList<ReferenceView> Dependencies, IReadOnlyList<ReferenceView> Related, IReadOnlyList<DependentView> Dependents,
    GraphPictureView Graph, int GraphDepth, string GraphDirection, IReadOnlyList<RevisionView> Revisions, bool CanEdit);

public sealed record HistoryView(string Name, string? Title, IReadOnlyList<RevisionView> Revisions);

public sealed record DiffSectionView(string Section, string Change, IReadOnlyList<DiffLineView> Lines);

public sealed record DiffLineView(char Kind, string Text);

public sealed record DiffView(string Name, string? Title, int From, int To, IReadOnlyList<int> Revisions, IReadOnlyList<DiffSectionView> Sections);

public sealed record EditView(string? Name, string Markdown, string? ETag, int? Revision, bool IsNew);

public sealed record ReportRow(string Component, string Detail);

public sealed record GraphOverview(
    string? Team, IReadOnlyList<string> Teams, GraphPictureView Graph, IReadOnlyList<IReadOnlyList<string>> Cycles,
    IReadOnlyList<ReportRow> Dangling, IReadOnlyList<ReportRow> Stale, QualityTrendView QualityTrend);

/// <summary>One quality snapshot: its day, the average score (0–100) and how many documents it averaged.</summary>
public sealed record TrendPoint(string Day, double Average, int Count);

/// <summary>The quality trend of the whole catalog or of one team (<paramref name="Subject"/>), oldest first.</summary>
public sealed record QualityTrendView(string Subject, IReadOnlyList<TrendPoint> Points);

public sealed record MessageView(int Status, string Heading, string Message, bool OfferSignIn);

public sealed record SignInView(string ReturnUrl, IReadOnlyList<string> Roles, string? Error);
