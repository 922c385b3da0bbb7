using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Quality;

/// <summary>Scores documents against the rules, with references resolved against the catalog's index.</summary>
public sealed class ComponentQuality(ComponentSearch search, TimeProvider clock, CatalogOptions options)
{
    /// <param name="alsoExisting">Names that count as present although not stored yet (the other documents of an import).</param>
    public async Task<QualityReport> EvaluateAsync(
        ComponentDocument document, IEnumerable<Finding>? extra = null, IReadOnlySet<string>? alsoExisting = null, CancellationToken ct = default)
    {
        var exists = await search.NameLookupAsync(ct);
        return QualityRules.Evaluate(
            document,
            name => alsoExisting?.Contains(name) == true || exists(name),
            clock.GetUtcNow().AddDays(-options.StaleAfterDays),
            extra);
    }
}
