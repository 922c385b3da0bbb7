using System.Text.Json;
using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>An edge of the component graph, derived from Internal Modules and Related Components.</summary>
internal sealed record GraphEdge(string From, string To, string Kind, string? Relationship)
{
    public const string DependsOn = "dependsOn";
    public const string Related = "related";
}

/// <summary>
/// What the search index and the graph keep of one live document: the summary fields, the filter
/// values, the edges and the weighted words. Derived from the document at write time and stored in
/// the summaries table, so an instance loads the index without reading any document.
/// </summary>
internal sealed record IndexEntry
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

    /// <summary>
    /// Word → weight: every word of the document, summed per occurrence (title 3, name 3, description 2, tags 2,
    /// library and module names 1 more, any other text 1, code 0.5 per occurrence). No cap on the count; only an entry
    /// too large for its head row keeps its heaviest words (<see cref="Storage.IndexStore"/>). None (one shared empty
    /// map) in the index's own copy: 80 bytes a document saved (docs/adr/0071-index-memory-and-snapshot.md, revision 4).
    /// </summary>
    public IReadOnlyDictionary<string, float> Terms { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, float>.Empty;

    /// <summary>Sum of all weights before capping: the document's length for ranking.</summary>
    public float Length { get; init; }

    /// <summary>Top-level fields that are not text to search (the title and description are added with their weights first).</summary>
    private static readonly HashSet<string> Metadata = new(StringComparer.Ordinal)
    {
        "name", "title", "description", "owner", "tags", "lifecycle", "reviewedAt", "revision", "createdAt", "updatedAt", "updatedBy",
    };

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
        foreach (var item in d.Dependencies?.ExternalLibraries ?? EquatableList<NamedItem>.Empty) Add(item.Name, 1);
        foreach (var item in d.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty) Add(item.Name, 1);
        foreach (var tag in d.Tags ?? EquatableList<string>.Empty) Add(tag, 2);
        // Every other text of every section, whatever its shape (prose, list items, endpoints, extra sections),
        // once at weight 1 and code at 0.5: a word that appears once anywhere is found.
        var json = JsonSerializer.SerializeToElement(d, CatalogJson.Options);
        foreach (var property in json.EnumerateObject())
        {
            if (!Metadata.Contains(property.Name)) Walk(property.Value, 1);
        }
        void Walk(JsonElement element, float weight)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    Add(element.GetString(), weight);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray()) Walk(item, weight);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name == "language") continue;
                        Walk(property.Value, property.Name == "code" ? 0.5f : weight);
                    }
                    break;
            }
        }

        var terms = weights;

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
