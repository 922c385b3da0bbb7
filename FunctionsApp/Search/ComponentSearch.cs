using ComponentCatalog.Catalog;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Search;

/// <summary>
/// Search, facets and graph reads over this instance's <see cref="CatalogIndex"/>, and the only owner of its
/// loading state. The index is loaded from the entries on the document heads once, then kept current: writes
/// on this instance apply when they commit, writes on other instances arrive through the change log, polled
/// at most every <c>Catalog:IndexRefreshSeconds</c> in the background (the staleness bound across instances;
/// ADR 0005, ADR 0006).
/// </summary>
internal sealed partial class ComponentSearch(
    IndexStore store, CatalogIndex index, PagingToken tokens, TimeProvider clock, CatalogOptions options, DocumentCache documents,
    ILogger<ComponentSearch> logger)
{
    /// <summary>How long a GET waits for a due poll before serving its cached copy anyway (storage slow or away).</summary>
    private static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(2);

    /// <summary>How far back each poll looks again, for writers whose clocks run behind ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Past this gap a full reload is cheaper than walking the change log minute by minute.</summary>
    private static readonly TimeSpan MaxLogGap = TimeSpan.FromMinutes(10);

    /// <summary>Longest an announcement may take before its write gives up (ADR 0060: the change feed's horizon).</summary>
    public static readonly TimeSpan MaxAnnounceDelay = TimeSpan.FromSeconds(1);

    /// <summary>A snapshot older than this is not caught up from the change log (the reconcile job writes one every 30 minutes).</summary>
    private static readonly TimeSpan MaxSnapshotAge = TimeSpan.FromHours(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>How long after its announcement a write may still commit (network timeouts and retries included).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>Change rows this instance is done with (key → when), forgotten once they fall out of the polling window.</summary>
    private readonly Dictionary<string, DateTimeOffset> _settled = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    /// <summary>Whether this instance's index came from a stored snapshot (then caught up) rather than a scan of the heads.</summary>
    internal bool LoadedFromSnapshot { get; private set; }
    private DateTimeOffset _watermark;
    private long _lastRefreshTicks;
    private Task? _refreshing;
    private Task? _loading;

    public async Task<(IReadOnlyList<IndexEntry> Items, string? ContinuationToken)> SearchAsync(
        SearchQuery query, string? continuationToken, int limit, CancellationToken ct = default)
    {
        var after = continuationToken is null ? null : tokens.Parse(continuationToken, query);
        await EnsureCurrentAsync(ct);
        await ReadPartsForAsync(query, ct);
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        var page = index.Search(query, after, limit, staleBefore);
        return (page.Items, page.Next is null ? null : tokens.Create(query, page.Next));
    }

    /// <summary>
    /// A page of hits and, for counting facets, every hit up to <paramref name="scanLimit"/> (full text: in no
    /// particular order, collected while ranking; filters only: in name order, the page cut from them when it is the first).
    /// </summary>
    public async Task<(IReadOnlyList<IndexEntry> Items, string? ContinuationToken, IReadOnlyList<IndexEntry> All)> SearchWithAllAsync(
        SearchQuery query, string? continuationToken, int limit, int scanLimit, CancellationToken ct = default)
    {
        var after = continuationToken is null ? null : tokens.Parse(continuationToken, query);
        await EnsureCurrentAsync(ct);
        var staleBefore = clock.GetUtcNow().AddDays(-options.StaleAfterDays);
        if (TextTokenizer.Tokens(query.Q).Any())
        {
            // Full text: the page is ranked while every hit is collected, in one pass over the matches.
            var hits = new List<IndexEntry>();
            var ranked = index.Search(query, after, limit, staleBefore, hits, scanLimit);
            return (ranked.Items, ranked.Next is null ? null : tokens.Create(query, ranked.Next), hits);
        }
        var all = index.Search(query, null, Math.Max(scanLimit, limit), staleBefore);
        if (after is null)
        {
            var more = all.Items.Count > limit;
            return ([.. all.Items.Take(limit)], more ? tokens.Create(query, new SearchCursor(null, all.Items[limit - 1].Name)) : null, all.Items);
        }
        var page = index.Search(query, after, limit, staleBefore);
        return (page.Items, page.Next is null ? null : tokens.Create(query, page.Next), all.Items);
    }

    public async Task<IReadOnlyList<FacetValue>> FacetAsync(string field, CancellationToken ct = default)
    {
        await EnsureCurrentAsync(ct);
        return index.Facet(field);
    }

    /// <summary>
    /// Logs writes about to be committed (the catalog calls this before its commit, through
    /// <see cref="IndexProjection"/>). This instance applies its own writes when they commit, so their log
    /// rows are settled here at once and never read back.
    /// </summary>
    public async Task AnnounceAsync(IReadOnlyCollection<ChangeIntent> intents, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var keys = await store.AnnounceAsync(intents, now, ct);
        if (clock.GetUtcNow() - now > MaxAnnounceDelay)
        {
            // Readers of the log trust that a row keyed at t is visible by t + MaxAnnounceDelay (the change feed's
            // horizon, ADR 0060): a slower announcement must not be followed by its commit.
            throw new Errors.StorageUnavailableException(new TimeoutException("The change announcement took too long."));
        }
        lock (_settled)
        {
            foreach (var key in keys) _settled[key] = now;
        }
    }

    /// <summary>
    /// A committed write on this instance: its entry (null when the document left the catalog). Two writes of
    /// one document that finish out of order leave the later revision in place.
    /// </summary>
    public void Apply(string name, IndexEntry? entry)
    {
        try
        {
            if (entry is null) index.Remove(name);
            else if (index.Get(name) is not { } current || current.Revision <= entry.Revision) index.Upsert(entry);
        }
        catch (Exception e) when (e is InvalidDataException or Errors.StorageUnavailableException)
        {
            // A part of the restored snapshot this write needed could not be read: rebuild by a scan at the next refresh.
            LogSnapshotUnusable(logger, e);
            _snapshotBroken = true;
        }
    }

    /// <summary>Loads the index on first use; afterwards starts a background poll when one is due.</summary>
    public async Task EnsureCurrentAsync(CancellationToken ct = default)
    {
        if (!_loaded)
        {
            await LoadAsync(ct);
            return;
        }
        if (_snapshotBroken)
        {
            await RefreshCoreAsync(ct);
            return;
        }

        _ = StartRefreshIfDue();
    }

    /// <summary>
    /// For the document cache: whether this instance follows the change log, so a cached document is at most about one
    /// refresh interval behind storage. A first call starts loading the index in the background (a read never waits
    /// for the whole index; until it is loaded nothing is cached). A due poll starts in the background; after an idle
    /// spell (no poll for two intervals) the read waits for it, up to <see cref="FollowWait"/> — past that, or when
    /// storage fails, the cached copy is served: documents stay readable while storage is away.
    /// </summary>
    public async Task<bool> FollowChangesAsync(CancellationToken ct = default)
    {
        if (!_loaded)
        {
            lock (_settled)
            {
                if (_loading is null or { IsCompleted: true })
                {
                    _loading = Task.Run(async () =>
                    {
                        try
                        {
                            await LoadAsync(CancellationToken.None);
                        }
                        catch (Errors.StorageUnavailableException e)
                        {
                            LogRefreshFailed(logger, e);
                        }
                    }, CancellationToken.None);
                }
            }
            return false;
        }

        var idle = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastRefreshTicks) >= 2 * RefreshInterval.Ticks;
        var refreshing = StartRefreshIfDue();
        if (idle && refreshing is not null)
        {
            try
            {
                await refreshing.WaitAsync(FollowWait, ct);
            }
            catch (TimeoutException)
            {
                // Storage is slow: serve what is cached; the poll goes on in the background.
            }
        }
        return true;
    }

    private TimeSpan RefreshInterval => TimeSpan.FromSeconds(options.IndexRefreshSeconds);

    /// <summary>Starts a background poll when the last one is older than the refresh interval; returns the running poll.</summary>
    private Task? StartRefreshIfDue()
    {
        var due = clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastRefreshTicks) >= RefreshInterval.Ticks;
        if (due && _refreshing is null or { IsCompleted: true })
        {
            Interlocked.Exchange(ref _lastRefreshTicks, clock.GetUtcNow().UtcTicks);
            _refreshing = Task.Run(() => RefreshAsync(CancellationToken.None), CancellationToken.None);
        }
        return _refreshing;
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

    /// <summary>One component's entry as this instance's index knows it (loaded on first use); null when absent.</summary>
    public async Task<IndexEntry?> EntryAsync(string name, CancellationToken ct = default)
    {
        await EnsureCurrentAsync(ct);
        return index.Get(name);
    }

    /// <summary>Every entry as this instance's index knows it (loaded on first use), for whole-catalog views.</summary>
    public async Task<IReadOnlyList<IndexEntry>> AllAsync(CancellationToken ct = default)
    {
        await EnsureCurrentAsync(ct);
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

    /// <summary>
    /// Reads the heads named by change rows not yet settled and applies them. A row settles when its head shows
    /// the write (same write id) or a later one (higher revision); a row whose write never
    /// shows (it failed its precondition, or the writer died before committing) settles after
    /// <see cref="Settle"/>, until when its head is read again at each poll.
    /// </summary>
    private async Task RefreshCoreAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (_snapshotBroken)
            {
                _snapshotPart = null;
                index.Clear();
                LoadedFromSnapshot = false;
                _snapshotBroken = false;
                await ReloadLockedAsync(now, ct);
                return;
            }
            if (now - _watermark > MaxLogGap)
            {
                await ReloadLockedAsync(now, ct);
                return;
            }

            await CatchUpLockedAsync(now, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies the change log from the watermark (less the clock skew and settle margins) to <paramref name="now"/>.</summary>
    private async Task CatchUpLockedAsync(DateTimeOffset now, CancellationToken ct)
    {
        var changes = await store.ChangesAsync(_watermark - ClockSkew - Settle, now.AddMinutes(1), ct);
        List<ChangeRow> open;
        lock (_settled)
        {
            open = [.. changes.Where(c => !_settled.ContainsKey(c.Key))];
        }
        foreach (var group in open.GroupBy(c => c.Name, StringComparer.Ordinal))
        {
            var head = await store.GetAsync(group.Key, ct);
            Apply(group.Key, head?.Entry);
            documents.Invalidate(group.Key);
            lock (_settled)
            {
                foreach (var change in group.Where(c => head is not null && (head.WriteId == c.WriteId || head.Revision > c.Revision) || now - c.At > Settle + ClockSkew))
                {
                    _settled[change.Key] = now;
                }
            }
        }
        lock (_settled)
        {
            foreach (var old in _settled.Where(s => s.Value < now - 2 * (ClockSkew + Settle)).Select(s => s.Key).ToList())
            {
                _settled.Remove(old);
            }
        }
        _watermark = now;
        Interlocked.Exchange(ref _lastRefreshTicks, now.UtcTicks);
        if (open.Count > 0) LogRefreshed(logger, open.Count, index.Count);
    }

    /// <summary>
    /// For the reconcile job: stores a snapshot of this instance's index, brought current first, with the change-log
    /// position it covers, so a new instance loads it and catches up instead of scanning every head. Returns its size.
    /// </summary>
    public async Task<int> WriteSnapshotAsync(CancellationToken ct = default)
    {
        await CurrentEntriesAsync(ct);
        List<byte[]> parts;
        int eager;
        DateTimeOffset covers;
        await _gate.WaitAsync(ct);
        try
        {
            covers = _watermark;
            (parts, eager) = index.Export();
        }
        finally
        {
            _gate.Release();
        }
        var compressed = new byte[parts.Count][];
        Parallel.For(0, parts.Count, p => compressed[p] = SnapshotCompression.Compress(parts[p]));
        await store.WriteSnapshotAsync(compressed, eager, covers, CatalogIndex.SnapshotFormat, ct);
        return compressed.Sum(c => c.Length);
    }

    /// <summary>
    /// Loads the stored snapshot and catches up from the change log; false (index untouched or emptied) when there is
    /// no snapshot of this format, it is too old, or it is damaged: the caller then scans the heads. Only the eager parts
    /// (vocabulary, entries) are read before the index answers; postings and entry words are read when a query or a
    /// write first needs them, and all of them in the background after.
    /// </summary>
    private async Task<bool> TryLoadSnapshotLockedAsync(DateTimeOffset now, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (long Read, long Import) steps = default;
        try
        {
            var snapshot = await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat,
                covers => now - covers <= MaxSnapshotAge && covers <= now + ClockSkew, ct);
            if (snapshot is null) return false;
            var parts = new System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Task<byte[]>>>();
            _snapshotPart = part => parts.GetOrAdd(part, p => new Lazy<Task<byte[]>>(() => snapshot.ReadPartAsync(p))).Value;
            var read = _snapshotPart;
            var eager = await Task.WhenAll(Enumerable.Range(0, snapshot.Eager).Select(p => Task.Run(async () =>
                SnapshotCompression.Decompress(await read(p)), CancellationToken.None)));
            steps.Read = watch.ElapsedMilliseconds;
            index.Import(eager, snapshot.Parts, part => read(part).GetAwaiter().GetResult());
            steps.Import = watch.ElapsedMilliseconds - steps.Read;
            documents.Clear();
            _watermark = snapshot.Covers;
            await CatchUpLockedAsync(now, ct);
        }
        catch (InvalidDataException e)
        {
            LogSnapshotUnusable(logger, e);
            _snapshotPart = null;
            index.Clear();
            return false;
        }
        catch
        {
            _snapshotPart = null;
            throw;
        }
        _loaded = true;
        LoadedFromSnapshot = true;
        LogSnapshotLoaded(logger, index.Count, watch.ElapsedMilliseconds, steps.Read, steps.Import, watch.ElapsedMilliseconds - steps.Read - steps.Import);
        _ = Task.Run(ReadRestOfSnapshotAsync, CancellationToken.None);
        return true;
    }

    /// <summary>Reads a restored snapshot's parts not yet read, two at a time; a damaged or unreadable one has the index reloaded by a scan.</summary>
    private async Task ReadRestOfSnapshotAsync()
    {
        try
        {
            await Parallel.ForEachAsync(index.MissingParts(), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (part, _) =>
            {
                if (_snapshotPart is { } read) index.AddPart(part, await read(part));
            });
            _snapshotPart = null;
            // The read allocated the rows' JSON and compressed bytes besides the parts the index keeps.
            LogSnapshotRead(logger, GiveBackLoadMemory());
        }
        catch (Exception e) when (e is InvalidDataException or Errors.StorageUnavailableException)
        {
            LogSnapshotUnusable(logger, e);
            _snapshotBroken = true;
        }
    }

    /// <summary>Reads the snapshot parts <paramref name="query"/> needs and are not here yet (only after a restore).</summary>
    private async Task ReadPartsForAsync(SearchQuery query, CancellationToken ct)
    {
        if (_snapshotPart is not { } read) return;
        var missing = index.MissingParts(query);
        if (missing.Count == 0) return;
        try
        {
            await Task.WhenAll(missing.Select(part => Task.Run(async () => index.AddPart(part, await read(part)), CancellationToken.None))).WaitAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or Errors.StorageUnavailableException)
        {
            LogSnapshotUnusable(logger, e);
            _snapshotBroken = true;
            await RefreshCoreAsync(ct);
        }
    }

    /// <summary>While a restored snapshot is still being read: its part by number, as stored (each read once).</summary>
    private volatile Func<int, Task<byte[]>>? _snapshotPart;

    /// <summary>A part of the restored snapshot could not be read: the index is rebuilt by a scan at the next refresh.</summary>
    private volatile bool _snapshotBroken;

    private async Task LoadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_loaded && !await TryLoadSnapshotLockedAsync(clock.GetUtcNow(), ct))
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
        // Changes in a gap were not heard: cached documents may be behind. Reads from here on see storage.
        documents.Clear();
        // Each page of entries goes into the index as it arrives: only one page of word maps is held at a time (a
        // list of every entry with its word map was several times the index at 100,000). A failure part-way leaves
        // current entries added and nothing removed; the next load completes it.
        var live = new HashSet<string>(StringComparer.Ordinal);
        var count = await store.LoadAllAsync(entry =>
        {
            live.Add(entry.Name);
            index.Upsert(entry);
        }, ct);
        foreach (var gone in index.All().Where(e => !live.Contains(e.Name)).Select(e => e.Name).ToList()) index.Remove(gone);
        _watermark = started;
        index.TrimExcess();
        // The load allocated every word map once.
        var heapMiB = GiveBackLoadMemory();
        Interlocked.Exchange(ref _lastRefreshTicks, started.UtcTicks);
        _loaded = true;
        LogLoaded(logger, count, watch.ElapsedMilliseconds, heapMiB);
    }

    /// <summary>
    /// After a full load: gives back what the load allocated besides the index, once, instead of carrying it as resident
    /// memory until the next natural full GC (an idle instance has none). Returns the managed heap left, in MiB.
    /// </summary>
    private static long GiveBackLoadMemory()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo().HeapSizeBytes / (1024 * 1024);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Search index loaded: {Count} documents in {ElapsedMs} ms (managed heap {HeapMiB} MiB)")]
    private static partial void LogLoaded(ILogger logger, int count, long elapsedMs, long heapMiB);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Search index loaded from its snapshot: {Count} documents in {ElapsedMs} ms (read {ReadMs}, import {ImportMs}, change-log catch-up {CatchUpMs})")]
    private static partial void LogSnapshotLoaded(ILogger logger, int count, long elapsedMs, long readMs, long importMs, long catchUpMs);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Search index snapshot read to its last part (managed heap {HeapMiB} MiB)")]
    private static partial void LogSnapshotRead(ILogger logger, long heapMiB);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Search index snapshot unusable; loading by a scan of the heads")]
    private static partial void LogSnapshotUnusable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Search index refreshed: {Changed} changed, {Count} documents")]
    private static partial void LogRefreshed(ILogger logger, int changed, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Search index refresh failed; serving the last state")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
