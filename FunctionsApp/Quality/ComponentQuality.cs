using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Quality;

/// <summary>
/// Scores documents against the rules, with references resolved against the catalog's index: the one scoring
/// rule of every route (writes, import, validate, the quality endpoint). A document that has not been stored
/// is scored as it would be stored, updated now, so <c>/validate</c> of a new document does not call it unreviewed.
/// </summary>
internal sealed class ComponentQuality(ComponentSearch search, TimeProvider clock, CatalogOptions options)
{
    /// <param name="alsoExisting">Names that count as present although not stored yet (the other documents of an import).</param>
    public async Task<QualityReport> EvaluateAsync(
        ComponentDocument document, IEnumerable<Finding>? extra = null, IReadOnlySet<string>? alsoExisting = null, CancellationToken ct = default)
    {
        var exists = await search.NameLookupAsync(ct);
        return Evaluate(document, name => alsoExisting?.Contains(name) == true || exists(name), clock.GetUtcNow(), options.StaleAfterDays, extra);
    }

    /// <summary>The same rule without the catalog: the CLI's offline lint, with <paramref name="exists"/> over the linted files.</summary>
    public static QualityReport Evaluate(
        ComponentDocument document, Func<string, bool> exists, DateTimeOffset now, int staleAfterDays, IEnumerable<Finding>? extra = null)
    {
        document = document.UpdatedAt is null ? document with { UpdatedAt = now } : document;
        return QualityRules.Evaluate(document, exists, now.AddDays(-staleAfterDays), extra);
    }
}
