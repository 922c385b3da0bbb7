using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Storage;

namespace ComponentCatalog.Search;

/// <summary>
/// The one way a stored revision becomes its search index entry, used by the catalog's writes, the import
/// and the reconcile job alike (docs/adr/0006-write-path.md): one scoring rule (<see cref="ComponentQuality"/>
/// over the document as stored, with the findings of the body it came from), the entry committed on the head
/// with the revision, the change announced before the commit and applied to this instance's index after it.
/// Nothing here runs after a commit that could fail.
/// </summary>
internal sealed class IndexProjection(ComponentSearch search, ComponentQuality quality)
{
    /// <summary>The index entry of a document as it will be stored.</summary>
    /// <param name="findings">The parser's findings of the body the document came from (none for JSON).</param>
    /// <param name="alsoExisting">Names that count as present although not stored yet (the other documents of an import).</param>
    public async Task<IndexEntry> ProjectAsync(
        ComponentDocument stored, IEnumerable<Finding>? findings = null, IReadOnlySet<string>? alsoExisting = null, CancellationToken ct = default) =>
        IndexEntry.From(stored, (await quality.EvaluateAsync(stored, findings, alsoExisting, ct)).Score);

    /// <summary>Before a commit: logs the writes so every instance learns of them once they commit.</summary>
    public Task AnnounceAsync(IReadOnlyCollection<ChangeIntent> intents, CancellationToken ct = default) =>
        intents.Count == 0 ? Task.CompletedTask : search.AnnounceAsync(intents, ct);

    /// <summary>After a commit: this instance's index shows it at once.</summary>
    public void Committed(string name, IndexEntry? entry) => search.Apply(name, entry);

    /// <summary>Whether a live document of a name is in this instance's index (loaded on first use): a hint, not a check.</summary>
    public Task<Func<string, bool>> KnownNamesAsync(CancellationToken ct = default) => search.NameLookupAsync(ct);

    /// <summary>Whether this instance follows the change log closely enough to serve cached documents (see <see cref="ComponentSearch.FollowChangesAsync"/>).</summary>
    public Task<bool> FollowChangesAsync(CancellationToken ct = default) => search.FollowChangesAsync(ct);
}
