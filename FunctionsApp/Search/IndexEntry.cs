using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>An edge of the component graph, derived from Internal Modules and Related Components.</summary>
public sealed record GraphEdge(string From, string To, string Kind, string? Relationship)
{
    public const string DependsOn = "dependsOn";
    public const string Related = "related";
}

/// <summary>
/// What the search index and the graph keep of one live document: the summary fields, the filter
/// values, the edges and the weighted words. Derived from the document at write time and stored in
/// the summaries table, so an instance loads the index without reading any document.
/// </summary>
public sealed record IndexEntry
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public Lifecycle? Lifecycle { get; init; }
    public int? Score { get; init; }
    public int Revision { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }

    /// <summary>External library names, lower-cased.</summary>
    public IReadOnlyList<string> Libraries { get; init; } = [];

    public IReadOnlyList<GraphEdge> Edges { get; init; } = [];

    /// <summary>Word → weight (title counts 3, description 2, the rest 1), at most <see cref="MaxTerms"/> words, the heaviest.</summary>
    public IReadOnlyDictionary<string, float> Terms { get; init; } = new Dictionary<string, float>();

    /// <summary>Sum of all weights before capping: the document's length for ranking.</summary>
    public float Length { get; init; }

    public const int MaxTerms = 200;

    /// <summary>A related component or internal module is referenced by its catalog name (slug of the text).</summary>
    public static string ReferenceName(string reference) =>
        Catalog.Names.IsValid(reference.Trim()) ? reference.Trim() : Catalog.Names.Slug(reference);

    public static IndexEntry From(ComponentDocument d, int? score = null)
    {
        var name = d.Name ?? throw new ArgumentException("A stored document has a name.", nameof(d));
        var weights = new Dictionary<string, float>(StringComparer.Ordinal);
        float length = 0;
        void Add(string? text, float weight)
        {
            foreach (var token in TextTokenizer.Tokens(text))
            {
                weights[token] = weights.GetValueOrDefault(token) + weight;
                length += weight;
            }
        }

        Add(d.Title, 3);
        Add(name.Replace('-', ' '), 3);
        Add(d.Description, 2);
        Add(d.FileLocation, 1);
        foreach (var item in d.Dependencies?.ExternalLibraries ?? EquatableList<NamedItem>.Empty) { Add(item.Name, 2); Add(item.Purpose, 1); }
        foreach (var item in d.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty) { Add(item.Name, 2); Add(item.Purpose, 1); }
        foreach (var section in new[] { d.ClassStructure, d.DataModels, d.Logging, d.UsageExample, d.ErrorHandling?.CustomExceptions, d.ErrorHandling?.ErrorResponses, d.Testing?.UnitTests, d.Testing?.IntegrationTests })
        {
            Add(section?.Text, 1);
            foreach (var code in section?.Code ?? EquatableList<CodeBlock>.Empty) Add(code.Code, 0.5f);
        }
        foreach (var endpoint in d.ApiEndpoints?.Endpoints ?? EquatableList<ApiEndpoint>.Empty) { Add(endpoint.Route, 1); Add(endpoint.Description, 1); }
        Add(d.ApiEndpoints?.Text, 1);
        foreach (var code in d.ApiEndpoints?.Code ?? EquatableList<CodeBlock>.Empty) Add(code.Code, 0.5f);
        foreach (var item in (d.Database?.Models ?? EquatableList<NamedItem>.Empty).Concat(d.Database?.Queries ?? EquatableList<NamedItem>.Empty)) { Add(item.Name, 1); Add(item.Purpose, 1); }
        Add(d.Database?.Text, 1);
        foreach (var text in new[]
                 {
                     d.Auth?.RequiredPermissions, d.Auth?.TokenValidation, d.Auth?.RoleBasedAccess,
                     d.Caching?.CacheKeys, d.Caching?.CacheDuration, d.Caching?.InvalidationStrategy,
                     d.Performance?.QueryOptimization, d.Performance?.CachingStrategy, d.Performance?.AsyncOperations,
                     d.Security?.InputValidation, d.Security?.DataSanitization, d.Security?.RateLimiting,
                     d.Notes?.ImplementationDetails, d.Notes?.KnownIssues, d.Notes?.FutureImprovements,
                 })
        {
            Add(text, 1);
        }
        foreach (var related in d.RelatedComponents ?? EquatableList<RelatedComponent>.Empty) { Add(related.Name, 1); Add(related.Relationship, 1); }
        foreach (var extra in d.ExtraSections ?? EquatableList<ExtraSection>.Empty) { Add(extra.Heading, 1); Add(extra.Body, 1); }
        foreach (var tag in d.Tags ?? EquatableList<string>.Empty) Add(tag, 2);

        var terms = weights.Count <= MaxTerms
            ? weights
            : weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Take(MaxTerms)
                .ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);

        var edges = new List<GraphEdge>();
        foreach (var module in d.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty)
        {
            if (ReferenceName(module.Name) is { Length: > 0 } to && to != name) edges.Add(new GraphEdge(name, to, GraphEdge.DependsOn, module.Purpose));
        }
        foreach (var related in d.RelatedComponents ?? EquatableList<RelatedComponent>.Empty)
        {
            if (ReferenceName(related.Name) is { Length: > 0 } to && to != name) edges.Add(new GraphEdge(name, to, GraphEdge.Related, related.Relationship));
        }

        return new IndexEntry
        {
            Name = name,
            Title = d.Title,
            Owner = d.Owner,
            Tags = d.Tags?.ToArray() ?? [],
            Lifecycle = d.Lifecycle,
            Score = score,
            Revision = d.Revision ?? 0,
            UpdatedAt = d.UpdatedAt ?? DateTimeOffset.MinValue,
            ReviewedAt = d.ReviewedAt,
            Libraries = (d.Dependencies?.ExternalLibraries ?? EquatableList<NamedItem>.Empty)
                .Select(l => l.Name.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct().ToArray(),
            Edges = edges.DistinctBy(e => (e.To, e.Kind)).ToArray(),
            Terms = terms,
            Length = length,
        };
    }
}
