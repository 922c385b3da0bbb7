using Microsoft.Extensions.Caching.Memory;

namespace ComponentCatalog.Catalog;

/// <summary>
/// This instance's copies of current documents (docs/adr/0004-caching-across-instances.md), kept as their stored
/// gzip'd JSON (and gzip'd Markdown once rendered): sent as they are to clients that accept gzip. An entry stays until the
/// change log says its document changed (<see cref="Search.ComponentSearch"/>'s refresh calls <see cref="Invalidate"/>),
/// a write on this instance replaces it, or the size limit evicts it; <c>Catalog:CacheSeconds</c> is only a safety
/// net. A read that went to storage while an invalidation happened does not cache what it read (the generation moved),
/// so an old revision read before a change was heard never outlives the change.
/// </summary>
internal sealed class DocumentCache(IMemoryCache cache, CatalogOptions options)
{
    private long _generation;

    public bool Enabled => options.CacheSeconds > 0;

    /// <summary>Taken before a storage read; <see cref="Remember"/> caches the result only if nothing was invalidated since.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string name, out StoredDocument stored)
    {
        if (Enabled && cache.TryGetValue(Key(name), out Cached? found) && found is not null)
        {
            // A fresh view over the cached compressed forms: what a request decompresses is garbage after it.
            stored = StoredDocument.FromCompressed(found.Forms, found.ETag);
            return true;
        }
        stored = null!;
        return false;
    }

    /// <summary>A document read from storage: cached unless an invalidation happened after <paramref name="generation"/>.</summary>
    public void Remember(string name, int revision, StoredDocument stored, long generation)
    {
        if (Enabled && generation == Generation)
        {
            Set(name, revision, stored);
        }
    }

    /// <summary>A revision this instance just committed: replaces the entry, unless a later revision is already cached.</summary>
    public void Committed(string name, int revision, StoredDocument stored)
    {
        if (!Enabled || cache.TryGetValue(Key(name), out Cached? current) && current!.Revision > revision)
        {
            return;
        }
        Set(name, revision, stored);
    }

    /// <summary>The document changed or left the catalog elsewhere (or here).</summary>
    public void Invalidate(string name)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(Key(name));
    }

    /// <summary>The change log was not followed (a gap, a reload): nothing cached can be trusted.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        if (cache is MemoryCache memory)
        {
            memory.Compact(1.0);
        }
    }

    private void Set(string name, int revision, StoredDocument stored)
    {
        var forms = stored.Forms;
        cache.Set(Key(name), new Cached(revision, stored.ETag, forms), new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.CacheSeconds),
            // The gzip'd JSON as stored, room for the gzip'd Markdown once a Markdown answer renders it (smaller than
            // the JSON: no keys), and the entry itself. Nothing decompressed is kept.
            Size = 512 + 2L * forms.Json!.Length,
        });
    }

    private static string Key(string name) => "doc:" + name;

    private sealed record Cached(int Revision, string ETag, StoredDocument.Compressed Forms);
}
