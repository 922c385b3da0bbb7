using ComponentCatalog.Catalog;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Search;

/// <summary>
/// Search, facets and graph reads over this instance's <see cref="CatalogIndex"/>. The index is loaded
/// from the summaries table once, then kept current: writes on this instance apply at once, writes on
/// other instances arrive through the change log, polled at most every <c>Catalog:IndexRefreshSeconds</c>
/// in the background (the staleness bound across instances; ADR 0005).
/// </summary>
public sealed partial class ComponentSearch(
    IndexStore store, CatalogIndex index, PagingToken tokens, TimeProvider clock, CatalogOptions options, ILogger<ComponentSearch> logger)
{
    /// <summary>How far back each poll looks again, for writers whose clocks run behind ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Past this gap a full reload is cheaper than walking the change log minute by minute.</summary>
    private static readonly TimeSpan MaxLogGap = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _seenChanges = new(StringComparer.Ordinal);
    private volatile bool _loaded;
    private DateTimeOffset _watermark;
    private long _lastRefreshTicks;
    private Task? _refreshing;

    public async Task<(IReadOnlyList<IndexEntry> Items, string? ContinuationToken)> SearchAsync(
        SearchQuery query, string? continuationToken, int limit, CancellationToken ct = default)
    {
        var after = continuationToken is null ? null : tokens.Parse(continuationToken, query);
        await EnsureCurrentAsync(ct);
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        var page = index.Search(query, after, limit, staleBefore);
        return (page.Items, page.Next is null ? null : tokens.Create(query, page.Next));
    }

    public async Task<IReadOnlyList<FacetValue>> FacetAsync(string field, CancellationToken ct = default)
    {
        await EnsureCurrentAsync(ct);
        return index.Facet(field);
    }

    /// <summary>Called by the catalog after a committed write: derived rows first, then this instance's index.</summary>
    public async Task PublishAsync(string name, IndexEntry? entry, CancellationToken ct = default)
    {
        await store.PublishAsync(name, entry, clock.GetUtcNow(), ct);
        if (entry is null) index.Remove(name);
        else index.Upsert(entry);
    }

    /// <summary>A bulk write's derived rows in few transactions (import), then this instance's index.</summary>
    public async Task PublishManyAsync(IReadOnlyCollection<(string Name, IndexEntry? Entry)> items, CancellationToken ct = default)
    {
        await store.PublishManyAsync(items, clock.GetUtcNow(), ct);
        foreach (var (name, entry) in items)
        {
            if (entry is null) index.Remove(name);
            else index.Upsert(entry);
        }
    }

    /// <summary>Called by the purge job: the document is gone for good.</summary>
    public async Task ForgetAsync(string name, CancellationToken ct = default)
    {
        await store.ForgetAsync(name, clock.GetUtcNow(), ct);
        index.Remove(name);
    }

    /// <summary>Loads the index on first use; afterwards starts a background poll when one is due.</summary>
    public async Task EnsureCurrentAsync(CancellationToken ct = default)
    {
        if (!_loaded)
        {
            await LoadAsync(ct);
            return;
        }

        var due = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastRefreshTicks) >= TimeSpan.FromSeconds(options.IndexRefreshSeconds).Ticks;
        if (due && _refreshing is null or { IsCompleted: true })
        {
            Interlocked.Exchange(ref _lastRefreshTicks, clock.GetUtcNow().UtcTicks);
            _refreshing = Task.Run(() => RefreshAsync(CancellationToken.None), CancellationToken.None);
        }
    }

    /// <summary>
    /// The whole index, brought current with storage first (loaded, or every logged change applied). For the
    /// maintenance jobs, which must not report on an index they could not read: a storage failure is thrown.
    /// </summary>
    public async Task<IReadOnlyList<IndexEntry>> CurrentEntriesAsync(CancellationToken ct = default)
    {
        if (!_loaded)
        {
            await LoadAsync(ct);
        }
        else
        {
            await RefreshCoreAsync(ct);
        }
        return index.All();
    }

    /// <summary>Whether a component of that name is in the catalog, as this instance's index knows it.</summary>
    public async Task<Func<string, bool>> NameLookupAsync(CancellationToken ct = default)
    {
        await EnsureCurrentAsync(ct);
        return name => index.Get(name) is not null;
    }

    /// <summary>Applies every change logged since the last poll; a storage failure is logged and the last state kept.</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        try
        {
            await RefreshCoreAsync(ct);
        }
        catch (Errors.StorageUnavailableException e)
        {
            LogRefreshFailed(logger, e);
        }
    }

    private async Task RefreshCoreAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - _watermark > MaxLogGap)
            {
                await ReloadLockedAsync(now, ct);
                return;
            }

            var from = _watermark - ClockSkew;
            var changes = await store.ChangesAsync(from, now.AddMinutes(1), ct);
            var fresh = changes.Where(c => _seenChanges.TryAdd(c.Key, now)).Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
            foreach (var name in fresh)
            {
                if (await store.GetAsync(name, ct) is { } entry) index.Upsert(entry);
                else index.Remove(name);
            }
            foreach (var old in _seenChanges.Where(s => s.Value < now - 2 * ClockSkew).Select(s => s.Key).ToList())
            {
                _seenChanges.Remove(old);
            }
            _watermark = now;
            Interlocked.Exchange(ref _lastRefreshTicks, now.UtcTicks);
            if (fresh.Count > 0) LogRefreshed(logger, fresh.Count, index.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_loaded)
            {
                await ReloadLockedAsync(clock.GetUtcNow(), ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the index equal to the summaries table: upserts every live entry, drops the rest.</summary>
    private async Task ReloadLockedAsync(DateTimeOffset started, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var entries = await store.LoadAllAsync(ct);
        var live = new HashSet<string>(entries.Select(e => e.Name), StringComparer.Ordinal);
        foreach (var gone in index.All().Where(e => !live.Contains(e.Name)).Select(e => e.Name).ToList()) index.Remove(gone);
        foreach (var entry in entries) index.Upsert(entry);
        _watermark = started;
        _seenChanges.Clear();
        entries.Clear();
        index.TrimExcess();
        // A full load allocates about twice what the index keeps (each summary arrives with its word map);
        // give that back once instead of carrying it as resident memory until the next natural full GC.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Exchange(ref _lastRefreshTicks, started.UtcTicks);
        _loaded = true;
        LogLoaded(logger, entries.Count, watch.ElapsedMilliseconds);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Search index loaded: {Count} documents in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, int count, long elapsedMs);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Search index refreshed: {Changed} changed, {Count} documents")]
    private static partial void LogRefreshed(ILogger logger, int changed, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Search index refresh failed; serving the last state")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
