using System.Collections.Concurrent;
using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace ComponentCatalog.Pages;

/// <summary>
/// What a component page needs of one stored revision besides the index: the document parsed once (the document
/// cache keeps only the compressed bytes), its sanitised HTML and the revision list up to it; and the last quality
/// report, reused while every reference it looked up still resolves the same way.
/// </summary>
internal sealed class RevisionPageParts(ComponentDocument document, IReadOnlyList<HtmlSection> sections, IReadOnlyList<RevisionInfo> revisions)
{
    public ComponentDocument Document { get; } = document;
    public IReadOnlyList<HtmlSection> Sections { get; } = sections;
    public IReadOnlyList<RevisionInfo> Revisions { get; } = revisions;

    /// <summary>The report, the names it asked the index about with the answers, and when it was made.</summary>
    internal (QualityReport Report, IReadOnlyDictionary<string, bool> Lookups, DateTimeOffset At)? Quality { get; set; }
}

/// <summary>
/// The parts of a component page that only change with a new revision. Keyed by name and the head's ETag, which
/// every write changes, so a new revision — or a document deleted and created again — never meets an old entry;
/// entries are few (the pages people are reading) and expire after a while, so a revision list also learns of
/// revisions removed by maintenance. The quality report depends on the rest of the catalog too: it is reused only
/// while each reference it looked up still exists (or is still missing) in this instance's index, and for at most
/// <see cref="QualityReuse"/>, so the staleness rule, which moves with the clock, is at most that late.
/// </summary>
internal sealed class PageCache(ComponentDocuments catalog, ComponentSearch search, TimeProvider clock, CatalogOptions options) : IDisposable
{
    public const int MaxEntries = 200;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan QualityReuse = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public async Task<RevisionPageParts> PartsAsync(string name, StoredDocument stored, CancellationToken ct)
    {
        var key = (name, stored.ETag);
        if (_cache.TryGetValue(key, out RevisionPageParts? parts) && parts is not null)
        {
            return parts;
        }
        // The storage query runs while the Markdown renders.
        var revisions = catalog.ListRevisionsAsync(name, ct);
        var document = stored.Document;
        var sections = DocumentHtml.Sections(document);
        var list = (await revisions).Where(r => r.Revision <= (document.Revision ?? int.MaxValue)).ToList();
        parts = new RevisionPageParts(document, sections, list);
        _cache.Set(key, parts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return parts;
    }

    /// <summary>The revision's quality report as <see cref="ComponentQuality"/> scores it now.</summary>
    public async Task<QualityReport> QualityAsync(RevisionPageParts parts, CancellationToken ct)
    {
        var exists = await search.NameLookupAsync(ct);
        var now = clock.GetUtcNow();
        if (parts.Quality is { } last && now - last.At < QualityReuse && last.Lookups.All(l => exists(l.Key) == l.Value))
        {
            return last.Report;
        }
        var lookups = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var report = ComponentQuality.Evaluate(parts.Document, name => lookups.GetOrAdd(name, exists), now, options.StaleAfterDays);
        parts.Quality = (report, lookups, now);
        return report;
    }

    public void Dispose() => _cache.Dispose();
}
