using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>
/// The in-memory index of one instance over every live document's <see cref="IndexEntry"/>:
/// sets per filter value, a sorted name list for keyset paging, word postings for ranked full text
/// (BM25), and incoming edges for the graph. Pure and thread-safe (one writer or many readers);
/// <see cref="ComponentSearch"/> keeps it fed from storage.
/// </summary>
public sealed class CatalogIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SortSetThreshold = 20_000;
    private static readonly IReadOnlyDictionary<string, float> NoTerms = new Dictionary<string, float>();

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<IndexEntry?> _entries = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _byLibrary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _byLifecycle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _incoming = new(StringComparer.Ordinal);
    // Words are numbered once; each entry keeps its words as sorted ids with weights (8 bytes a word),
    // and each word keeps the ids of the entries that had it (removed ones are skipped, then compacted).
    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly List<List<int>> _postings = [];
    private readonly List<int> _documentFrequency = [];
    private readonly List<int[]?> _entryWords = [];
    private readonly List<float[]?> _entryWeights = [];
    private double _totalLength;
    private int _staleSlots;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _names.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public IndexEntry? Get(string name)
    {
        _lock.EnterReadLock();
        try { return _ids.TryGetValue(name, out var id) ? _entries[id] : null; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Adds or replaces a document's entry; an older revision never replaces a newer one.</summary>
    public void Upsert(IndexEntry entry)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_ids.TryGetValue(entry.Name, out var existingId) && _entries[existingId] is { } existing && existing.Revision > entry.Revision)
            {
                return;
            }
            RemoveLocked(entry.Name);
            var id = _entries.Count;
            var words = new int[entry.Terms.Count];
            var weights = new float[entry.Terms.Count];
            var k = 0;
            foreach (var (term, weight) in entry.Terms)
            {
                if (!_wordIds.TryGetValue(term, out var wordId))
                {
                    _wordIds[term] = wordId = _postings.Count;
                    _postings.Add([]);
                    _documentFrequency.Add(0);
                }
                words[k] = wordId;
                weights[k++] = weight;
                _postings[wordId].Add(id);
                _documentFrequency[wordId]++;
            }
            Array.Sort(words, weights);
            _entryWords.Add(words);
            _entryWeights.Add(weights);
            entry = entry with { Terms = NoTerms };
            _entries.Add(entry);
            _ids[entry.Name] = id;
            _names.Add(entry.Name);
            AddTo(_byOwner, entry.Owner, id);
            foreach (var tag in entry.Tags) AddTo(_byTag, tag, id);
            foreach (var library in entry.Libraries) AddTo(_byLibrary, library, id);
            AddTo(_byLifecycle, entry.Lifecycle?.ToString(), id);
            foreach (var edge in entry.Edges) AddTo(_incoming, edge.To, id);
            _totalLength += entry.Length;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Gives back the spare capacity of the word postings (after a full load).</summary>
    public void TrimExcess()
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var ids in _postings) ids.TrimExcess();
            _entries.TrimExcess();
            _entryWords.TrimExcess();
            _entryWeights.TrimExcess();
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Remove(string name)
    {
        _lock.EnterWriteLock();
        try { RemoveLocked(name); }
        finally { _lock.ExitWriteLock(); }
    }

    public IReadOnlyList<FacetValue> Facet(string field)
    {
        _lock.EnterReadLock();
        try
        {
            var map = field switch
            {
                "owner" => _byOwner,
                "tag" => _byTag,
                "library" => _byLibrary,
                "lifecycle" => _byLifecycle,
                _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown facet."),
            };
            return map.Where(kv => kv.Value.Count > 0)
                .Select(kv => new FacetValue(field == "lifecycle" ? kv.Key.ToLowerInvariant() : kv.Key, kv.Value.Count))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)
                .ToList();
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Every live entry (for the whole-catalog graph).</summary>
    public IReadOnlyList<IndexEntry> All()
    {
        _lock.EnterReadLock();
        try { return _names.Select(n => _entries[_ids[n]]!).ToList(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Entries with an edge to <paramref name="name"/>, whether or not it exists.</summary>
    public IReadOnlyList<IndexEntry> Referencing(string name)
    {
        _lock.EnterReadLock();
        try
        {
            return _incoming.TryGetValue(name, out var ids)
                ? ids.Select(id => _entries[id]!).OrderBy(e => e.Name, StringComparer.Ordinal).ToList()
                : [];
        }
        finally { _lock.ExitReadLock(); }
    }

    public SearchPage Search(SearchQuery query, SearchCursor? after, int limit, DateTimeOffset staleBefore)
    {
        _lock.EnterReadLock();
        try
        {
            var sets = new List<HashSet<int>>();
            bool AddSet(Dictionary<string, HashSet<int>> map, string? key)
            {
                if (key is null) return true;
                if (!map.TryGetValue(key, out var set) || set.Count == 0) return false;
                sets.Add(set);
                return true;
            }

            var possible = AddSet(_byOwner, query.Owner)
                           && AddSet(_byLibrary, query.Library?.ToLowerInvariant())
                           && AddSet(_incoming, query.DependsOn)
                           && AddSet(_byLifecycle, query.Lifecycle?.ToString());
            foreach (var tag in query.Tags) possible &= AddSet(_byTag, tag);
            if (!possible)
            {
                return new SearchPage([], null);
            }

            bool Matches(int id)
            {
                var entry = _entries[id];
                if (entry is null) return false;
                foreach (var set in sets) if (!set.Contains(id)) return false;
                if (query.MinScore is { } min && (entry.Score ?? -1) < min) return false;
                if (query.Stale is { } stale && IsStale(entry, staleBefore) != stale) return false;
                return true;
            }

            var words = TextTokenizer.Tokens(query.Q).Distinct(StringComparer.Ordinal).ToArray();
            return words.Length > 0
                ? Ranked(words, Matches, after, limit)
                : ByName(sets, Matches, after, limit);
        }
        finally { _lock.ExitReadLock(); }
    }

    public static bool IsStale(IndexEntry entry, DateTimeOffset staleBefore) =>
        (entry.ReviewedAt is { } reviewed && reviewed > entry.UpdatedAt ? reviewed : entry.UpdatedAt) < staleBefore;

    private SearchPage ByName(List<HashSet<int>> sets, Func<int, bool> matches, SearchCursor? after, int limit)
    {
        var items = new List<IndexEntry>(limit + 1);
        var smallest = sets.MinBy(s => s.Count);
        if (smallest is not null && smallest.Count <= SortSetThreshold)
        {
            foreach (var entry in smallest.Where(matches).Select(id => _entries[id]!)
                         .Where(e => after is null || string.CompareOrdinal(e.Name, after.Name) > 0)
                         .OrderBy(e => e.Name, StringComparer.Ordinal).Take(limit + 1))
            {
                items.Add(entry);
            }
        }
        else
        {
            IEnumerable<string> view = after is null ? _names
                : _names.Count == 0 || string.CompareOrdinal(after.Name, _names.Max) >= 0 ? []
                : _names.GetViewBetween(after.Name, _names.Max!);
            foreach (var name in view)
            {
                if (after is not null && name == after.Name) continue;
                var id = _ids[name];
                if (!matches(id)) continue;
                items.Add(_entries[id]!);
                if (items.Count > limit) break;
            }
        }

        var hasMore = items.Count > limit;
        var page = hasMore ? items.GetRange(0, limit) : items;
        return new SearchPage(page, hasMore ? new SearchCursor(null, page[^1].Name) : null);
    }

    private SearchPage Ranked(string[] words, Func<int, bool> matches, SearchCursor? after, int limit)
    {
        var ids = new List<int>(words.Length);
        foreach (var word in words)
        {
            if (!_wordIds.TryGetValue(word, out var wordId) || _documentFrequency[wordId] == 0)
            {
                return new SearchPage([], null);
            }
            ids.Add(wordId);
        }
        ids.Sort((a, b) => _documentFrequency[a].CompareTo(_documentFrequency[b]));

        var n = _names.Count;
        var averageLength = n == 0 ? 1 : Math.Max(1, _totalLength / n);
        var idf = ids.Select(w => Math.Log(1 + (n - _documentFrequency[w] + 0.5) / (_documentFrequency[w] + 0.5))).ToArray();

        var hits = new List<(double Rank, IndexEntry Entry)>();
        var seen = new HashSet<int>();
        foreach (var id in _postings[ids[0]])
        {
            var entry = _entries[id];
            if (entry is null || !seen.Add(id) || !matches(id)) continue;
            var entryWords = _entryWords[id]!;
            var entryWeights = _entryWeights[id]!;
            double rank = 0;
            var all = true;
            for (var i = 0; i < ids.Count; i++)
            {
                var at = Array.BinarySearch(entryWords, ids[i]);
                if (at < 0) { all = false; break; }
                var tf = entryWeights[at];
                rank += idf[i] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * entry.Length / averageLength));
            }
            if (!all) continue;
            rank = Math.Round(rank, 6);
            if (after is not null && !IsAfter(rank, entry.Name, after)) continue;
            hits.Add((rank, entry));
        }

        hits.Sort((a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : string.CompareOrdinal(a.Entry.Name, b.Entry.Name));
        var page = hits.Take(limit).ToList();
        var next = hits.Count > limit ? new SearchCursor(page[^1].Rank, page[^1].Entry.Name) : null;
        return new SearchPage(page.Select(h => h.Entry).ToList(), next);
    }

    private static bool IsAfter(double rank, string name, SearchCursor cursor) =>
        rank < (cursor.Rank ?? double.MaxValue) || (rank == cursor.Rank && string.CompareOrdinal(name, cursor.Name) > 0);

    private void RemoveLocked(string name)
    {
        if (!_ids.Remove(name, out var id) || _entries[id] is not { } entry)
        {
            return;
        }
        _entries[id] = null;
        _names.Remove(name);
        RemoveFrom(_byOwner, entry.Owner, id);
        foreach (var tag in entry.Tags) RemoveFrom(_byTag, tag, id);
        foreach (var library in entry.Libraries) RemoveFrom(_byLibrary, library, id);
        RemoveFrom(_byLifecycle, entry.Lifecycle?.ToString(), id);
        foreach (var edge in entry.Edges) RemoveFrom(_incoming, edge.To, id);
        var words = _entryWords[id]!;
        foreach (var wordId in words)
        {
            _documentFrequency[wordId]--;
        }
        _entryWords[id] = null;
        _entryWeights[id] = null;
        _totalLength -= entry.Length;
        _staleSlots += words.Length;
        if (_staleSlots > 1_000_000 && _staleSlots > _postings.Sum(p => p.Count) / 2)
        {
            Compact();
        }
    }

    /// <summary>Drops postings of removed entries (they are skipped, not deleted, on removal).</summary>
    private void Compact()
    {
        foreach (var ids in _postings)
        {
            ids.RemoveAll(id => _entries[id] is null);
        }
        _staleSlots = 0;
    }

    private static void AddTo(Dictionary<string, HashSet<int>> map, string? key, int id)
    {
        if (key is null) return;
        if (!map.TryGetValue(key, out var set)) map[key] = set = [];
        set.Add(id);
    }

    private static void RemoveFrom(Dictionary<string, HashSet<int>> map, string? key, int id)
    {
        if (key is not null && map.TryGetValue(key, out var set))
        {
            set.Remove(id);
            if (set.Count == 0) map.Remove(key);
        }
    }
}
