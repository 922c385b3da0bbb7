using ComponentCatalog.Catalog;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace ComponentCatalog.Pages;

/// <summary>What a component page needs of one stored revision besides the document itself.</summary>
internal sealed record RevisionPageParts(IReadOnlyList<HtmlSection> Sections, IReadOnlyList<RevisionInfo> Revisions);

/// <summary>
/// The parts of a component page that only change with a new revision: the document's sanitised HTML (Markdown
/// rendered and highlighted once, not per view) and the revision list up to it (a storage query per view otherwise).
/// Keyed by name, revision and update time, so a new revision — or a document deleted and created again — never
/// meets an old entry; entries are few (the pages people are reading) and expire after a while, so a revision list
/// also learns of revisions removed by maintenance. The quality report, references, graph and dependents are
/// computed per view: they depend on the rest of the catalog, which this instance's index holds in memory.
/// </summary>
internal sealed class PageCache(ComponentDocuments catalog) : IDisposable
{
    public const int MaxEntries = 200;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public async Task<RevisionPageParts> PartsAsync(string name, StoredDocument stored, CancellationToken ct)
    {
        var key = (name, stored.Document.Revision ?? 0, stored.Document.UpdatedAt);
        if (_cache.TryGetValue(key, out RevisionPageParts? parts) && parts is not null)
        {
            return parts;
        }
        // The storage query runs while the Markdown renders.
        var revisions = catalog.ListRevisionsAsync(name, ct);
        var sections = DocumentHtml.Sections(stored.Document);
        var list = (await revisions).Where(r => r.Revision <= (stored.Document.Revision ?? int.MaxValue)).ToList();
        parts = new RevisionPageParts(sections, list);
        _cache.Set(key, parts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return parts;
    }

    public void Dispose() => _cache.Dispose();
}
