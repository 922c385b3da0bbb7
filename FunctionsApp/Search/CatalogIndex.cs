using System.Runtime.CompilerServices;
using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>
/// The in-memory index of one instance over every live document's <see cref="IndexEntry"/>:
/// sets per filter value, a sorted name list for keyset paging, word postings for ranked full text
/// (BM25), and incoming edges for the graph. Pure and thread-safe (one writer or many readers);
/// <see cref="ComponentSearch"/> keeps it fed from storage.
/// </summary>
internal sealed partial class CatalogIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int SortSetThreshold = 20_000;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<IndexEntry?> _entries = [];
    private Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private SortedSet<string> _names = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<int>> _byOwner = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<int>> _byTag = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<int>> _byLibrary = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<int>> _byLifecycle = new(StringComparer.Ordinal);
    /// <summary>
    /// Slots with an edge to a name, ascending (slots are only ever added at the end). A list, not a set: most names have
    /// one or two referrers, and a set of one costs ~170 bytes against ~60 (docs/adr/0071-index-memory-and-snapshot.md,
    /// revision 4); a query that filters by it makes a set of it.
    /// </summary>
    private Dictionary<string, List<int>> _incoming = new(StringComparer.Ordinal);
    // Words are numbered once. Each word keeps its postings as one byte buffer of (entry id delta, weight in half
    // units) varints (one varint for both when it fits: Posting), in the order entries were added; each entry keeps its sorted word ids as delta varints (for
    // removal, compressed in blocks: CatalogIndex.EntryWords.cs). About 3 bytes a word-in-document instead of 12 for
    // an int list plus id and weight arrays (docs/adr/0071-index-memory-and-snapshot.md). Removed entries are skipped
    // in the postings, then compacted.
    private Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private Vocabulary _vocabulary = new();
    private readonly List<Postings> _postings = [];
    /// <summary>Shared copies of the filter values and edge targets, which repeat across entries.</summary>
    private Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private double _totalLength;
    private long _staleSlots;
    private long _slots;

    /// <summary>
    /// One word's postings: (entry id − previous id, weight × 2) as <see cref="Posting"/> encodes them, first those restored from a snapshot (the
    /// slice [<see cref="Offset"/>, +<see cref="Length"/>) of snapshot part <see cref="Part"/>, fetched when first
    /// needed; none when <see cref="Part"/> is −1), then <see cref="Tail"/>, appended since. <see cref="Frequency"/>
    /// counts live entries.
    /// </summary>
    private struct Postings
    {
        public int Part;
        public int Offset;
        public int Length;
        public byte[] Tail;
        public int TailLength;
        public int Last;
        public int Frequency;

        public static Postings Empty => new() { Part = -1, Tail = [], Last = -1 };

        public void Append(int id, float weight)
        {
            if (Tail.Length - TailLength < 10) Array.Resize(ref Tail, Math.Max(8, Tail.Length * 2));
            TailLength = Posting.Write(Tail, TailLength, (uint)(id - Last), Units(weight));
            Last = id;
        }
    }

    /// <summary>Weights are sums of 3, 2, 1 and 0.5 per occurrence: kept exactly as whole half units.</summary>
    private static uint Units(float weight) => (uint)Math.Clamp(MathF.Round(weight * 2), 0, uint.MaxValue);

    /// <summary>LEB128 unsigned varints over a byte buffer.</summary>
    private static class Varint
    {
        public static int Write(byte[] data, int at, uint value)
        {
            while (value >= 0x80)
            {
                data[at++] = (byte)(value | 0x80);
                value >>= 7;
            }
            data[at++] = (byte)value;
            return at;
        }

        public static uint Read(ReadOnlySpan<byte> data, ref int at)
        {
            uint value = 0;
            var shift = 0;
            byte b;
            do
            {
                b = data[at++];
                value |= (uint)(b & 0x7F) << shift;
                shift += 7;
            }
            while (b >= 0x80);
            return value;
        }
    }

    /// <summary>
    /// One posting, (entry id delta, weight in half units), as one varint of <c>delta &lt;&lt; 3 | units</c> when the units
    /// are 1–7 — one byte for a delta under 16, which is most postings of a common word, whose weight is one to three
    /// occurrences — else <c>delta &lt;&lt; 3</c> followed by the units as a second varint. About 1.1 bytes a posting
    /// instead of 2 for two varints (docs/adr/0071-index-memory-and-snapshot.md, revision 4).
    /// </summary>
    private static class Posting
    {
        private const int UnitBits = 3;
        private const uint UnitMask = (1 << UnitBits) - 1;

        public static int Write(byte[] data, int at, uint delta, uint units)
        {
            if (units is > 0 and <= UnitMask) return Varint.Write(data, at, delta << UnitBits | units);
            at = Varint.Write(data, at, delta << UnitBits);
            return Varint.Write(data, at, units);
        }

        /// <summary>Reads one posting at <paramref name="at"/>: returns the id delta, the weight in half units in <paramref name="units"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Read(ReadOnlySpan<byte> data, ref int at, out uint units)
        {
            var value = Varint.Read(data, ref at);
            units = value & UnitMask;
            if (units == 0) units = Varint.Read(data, ref at);
            return value >> UnitBits;
        }
    }

    /// <summary>Decodes a word's postings: (entry id, weight).</summary>
    private void ForEachPosting(int wordId, Action<int, double> visit)
    {
        var id = -1;
        for (var segment = 0; segment < 2; segment++)
        {
            var data = segment == 0 ? RestoredPostings(wordId) : _postings[wordId].Tail.AsSpan(0, _postings[wordId].TailLength);
            var at = 0;
            while (at < data.Length)
            {
                id += (int)Posting.Read(data, ref at, out var units);
                visit(id, units / 2.0);
            }
        }
    }

    /// <summary>An entry's sorted word ids, decoded.</summary>
    private static List<int> WordsOf(ReadOnlySpan<byte> encoded)
    {
        var words = new List<int>();
        var at = 0;
        var word = -1;
        while (at < encoded.Length)
        {
            word += (int)Varint.Read(encoded, ref at);
            words.Add(word);
        }
        return words;
    }

    /// <summary>
    /// The entry with its repeated strings (filter values, edge targets) shared across entries, its lists as exact
    /// arrays (a collection expression would keep a list with spare capacity behind a wrapper: ~200 bytes a document).
    /// </summary>
    private IndexEntry Shared(IndexEntry entry) => entry with
    {
        Owner = entry.Owner is null ? null : Intern(entry.Owner),
        Tags = entry.Tags.Select(Intern).ToArray(),
        Libraries = entry.Libraries.Select(Intern).ToArray(),
        Edges = entry.Edges.Select(e => e with { From = entry.Name, To = Intern(e.To), Relationship = e.Relationship is null ? null : Intern(e.Relationship) }).ToArray(),
    };

    private string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var shared)) return shared;
        _strings[value] = value;
        return value;
    }

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
            var words = new (int WordId, float Weight)[entry.Terms.Count];
            var k = 0;
            foreach (var (term, weight) in entry.Terms)
            {
                if (!_wordIds.TryGetValue(term, out var wordId))
                {
                    _wordIds[term] = wordId = _postings.Count;
                    _vocabulary.Add(term);
                    _postings.Add(Postings.Empty);
                }
                words[k++] = (wordId, weight);
            }
            Array.Sort(words, (a, b) => a.WordId.CompareTo(b.WordId));
            var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
            var encoded = new byte[words.Length * 5];
            var length = 0;
            var previous = -1;
            foreach (var (wordId, weight) in words)
            {
                postings[wordId].Append(id, weight);
                postings[wordId].Frequency++;
                length = Varint.Write(encoded, length, (uint)(wordId - previous));
                previous = wordId;
            }
            _slots += words.Length;
            entry = Shared(entry with { Terms = System.Collections.ObjectModel.ReadOnlyDictionary<string, float>.Empty });
            _entries.Add(entry);
            AddEntryWords(encoded.AsSpan(0, length).ToArray());
            _ids[entry.Name] = id;
            _names.Add(entry.Name);
            AddFilters(entry, id);
            _totalLength += entry.Length;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Gives back the spare capacity of the word postings and the vocabulary (after a full load).</summary>
    public void TrimExcess()
    {
        _lock.EnterWriteLock();
        try
        {
            var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
            for (var w = 0; w < postings.Length; w++) Array.Resize(ref postings[w].Tail, postings[w].TailLength);
            _postings.TrimExcess();
            _vocabulary.Seal();
            foreach (var ids in _incoming.Values) ids.TrimExcess();
            _entries.TrimExcess();
            _openWords.TrimExcess();
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Bytes held by the main parts of the index (payload only, no object headers): for the memory benchmark.</summary>
    internal IReadOnlyList<(string Part, long Bytes)> MemoryBreakdown()
    {
        _lock.EnterReadLock();
        try
        {
            long restored = _parts.Sum(p => (long)(p?.Length ?? 0)), tails = 0, tailCapacity = 0, postingsCount = 0;
            foreach (var postings in _postings)
            {
                tails += postings.TailLength;
                tailCapacity += postings.Tail.Length;
                postingsCount += postings.Frequency;
            }
            return
            [
                ("postings restored from a snapshot", restored),
                ("postings appended (used)", tails),
                ("postings appended (capacity)", tailCapacity),
                ("entry words, compressed blocks", _wordBlocks.Sum(b => (long)(b.Stored?.Length ?? 0))),
                ("entry words, open", _openWords.Sum(w => (long)(w?.Length ?? 0))),
                ("vocabulary words", _vocabulary.Count),
                ("vocabulary characters", _vocabulary.All.Sum(w => (long)w.Length)),
                ("live postings", postingsCount),
                ("filter memberships", _byOwner.Values.Concat(_byTag.Values).Concat(_byLibrary.Values).Concat(_byLifecycle.Values).Sum(s => (long)s.Count) + _incoming.Values.Sum(s => (long)s.Count)),
            ];
        }
        finally { _lock.ExitReadLock(); }
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

    /// <param name="everyHit">For a full-text query: filled with every hit (in no particular order, at most
    /// <paramref name="everyHitLimit"/>), e.g. for facet counts, while the page is selected.</param>
    public SearchPage Search(SearchQuery query, SearchCursor? after, int limit, DateTimeOffset staleBefore,
        List<IndexEntry>? everyHit = null, int everyHitLimit = int.MaxValue)
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

            bool AddReferrers(string? name)
            {
                if (name is null) return true;
                if (!_incoming.TryGetValue(name, out var ids)) return false;
                sets.Add(new HashSet<int>(ids));
                return true;
            }

            var possible = AddSet(_byOwner, query.Owner)
                           && AddSet(_byLibrary, query.Library?.ToLowerInvariant())
                           && AddReferrers(query.DependsOn)
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
                ? Ranked(words, Matches, after, limit, everyHit, everyHitLimit)
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

    /// <summary>
    /// BM25 over every word of every document; all query words must match. The last word also matches the words it
    /// begins (search as you type: "paym" finds "payments"), and a word of 5 letters or more also matches words one
    /// edit away (a typo). A document's rank is first the number of query words it matches exactly or by prefix, then
    /// BM25, so a typo match always ranks below a document that matches as typed.
    /// </summary>
    private SearchPage Ranked(string[] words, Func<int, bool> matches, SearchCursor? after, int limit, List<IndexEntry>? everyHit, int everyHitLimit)
    {
        var n = _names.Count;
        var averageLength = n == 0 ? 1 : Math.Max(1, _totalLength / n);
        var variants = new List<(int WordId, bool Exact, double Idf)[]>(words.Length);
        for (var w = 0; w < words.Length; w++)
        {
            var found = Variants(words[w], prefix: w == words.Length - 1)
                .Where(v => _postings[v.WordId].Frequency > 0)
                .Select(v => (v.WordId, v.Exact, Math.Log(1 + (n - _postings[v.WordId].Frequency + 0.5) / (_postings[v.WordId].Frequency + 0.5))))
                .ToArray();
            if (found.Length == 0)
            {
                return new SearchPage([], null);
            }
            variants.Add(found);
        }
        variants.Sort((a, b) => a.Sum(v => _postings[v.WordId].Frequency).CompareTo(b.Sum(v => _postings[v.WordId].Frequency)));

        // Word at a time, rarest first: the first word's postings (filtered) are the candidates, each later word keeps
        // those it also matches. Per word, a document's best variant counts: matched as typed first, then BM25.
        // State per entry slot in pooled arrays (no dictionary, no allocation per posting); the page is a top-k
        // selection of limit + 1, not a sort of every hit.
        var slots = _entries.Count;
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var stages = System.Buffers.ArrayPool<int>.Shared;
        var score = pool.Rent(slots);
        var best = pool.Rent(slots);
        var stage = stages.Rent(slots);
        var touched = new List<int>();
        try
        {
            Array.Clear(stage, 0, slots);
            // stage[id]: 2 × (words matched so far) + 1 when the current word matched it, +0 otherwise; exact counts
            // kept in the upper bits: stage = (exact << 16) | (matched << 1) | current.
            for (var w = 0; w < variants.Count; w++)
            {
                var next = new List<int>(w == 0 ? 256 : touched.Count);
                foreach (var (wordId, isExact, idf) in variants[w])
                for (int segment = 0, id = -1; segment < 2; segment++)
                {
                    var data = segment == 0 ? RestoredPostings(wordId) : _postings[wordId].Tail.AsSpan(0, _postings[wordId].TailLength);
                    var at = 0;
                    while (at < data.Length)
                    {
                        id += (int)Posting.Read(data, ref at, out var units);
                        var tf = units / 2.0;
                        var state = stage[id];
                        if ((state >> 1 & 0x7FFF) != w) continue;
                        if (_entries[id] is not { } entry) continue;
                        var bm25 = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * entry.Length / averageLength));
                        if ((state & 1) == 0)
                        {
                            if (w == 0 && !matches(id)) continue;
                            stage[id] = state | 1;
                            best[id] = isExact ? bm25 + TierWeight : bm25;
                            next.Add(id);
                        }
                        else
                        {
                            var candidate = isExact ? bm25 + TierWeight : bm25;
                            if (candidate > best[id]) best[id] = candidate;
                        }
                    }
                }
                foreach (var id in next)
                {
                    var exact = best[id] >= TierWeight;
                    var previous = w == 0 ? 0 : score[id];
                    score[id] = previous + (exact ? best[id] - TierWeight : best[id]);
                    stage[id] = ((stage[id] >> 16) + (exact ? 1 : 0)) << 16 | (w + 1) << 1;
                }
                touched = next;
                if (touched.Count == 0) return new SearchPage([], null);
            }

            // Top limit + 1 by (rank desc, name asc): a heap whose root is the worst kept.
            var worstFirst = Comparer<(double Rank, string Name)>.Create((a, b) =>
                a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(b.Name, a.Name));
            var top = new PriorityQueue<(double Rank, IndexEntry Entry), (double Rank, string Name)>(worstFirst);
            foreach (var id in touched)
            {
                var entry = _entries[id]!;
                var rank = Math.Round((stage[id] >> 16) * TierWeight + Math.Min(score[id], TierWeight - 1), 6);
                if (everyHit is not null && everyHit.Count < everyHitLimit) everyHit.Add(entry);
                if (after is not null && !IsAfter(rank, entry.Name, after)) continue;
                if (top.Count <= limit)
                {
                    top.Enqueue((rank, entry), (rank, entry.Name));
                }
                else if (top.TryPeek(out _, out var worst) && worstFirst.Compare((rank, entry.Name), worst) > 0)
                {
                    top.EnqueueDequeue((rank, entry), (rank, entry.Name));
                }
            }
            var hits = new List<(double Rank, IndexEntry Entry)>(top.Count);
            while (top.TryDequeue(out var hit, out _)) hits.Add(hit);
            hits.Reverse();
            var page = hits.Take(limit).ToList();
            var more = hits.Count > limit ? new SearchCursor(page[^1].Rank, page[^1].Entry.Name) : null;
            return new SearchPage(page.Select(h => h.Entry).ToList(), more);
        }
        finally
        {
            pool.Return(score);
            pool.Return(best);
            stages.Return(stage);
        }
    }

    /// <summary>Above any BM25 sum: ranks by "matched as typed" first.</summary>
    private const double TierWeight = 10_000;

    /// <summary>At most this many completions of a prefix (the most common first).</summary>
    private const int MaxCompletions = 64;

    /// <summary>At most this many words one edit away (the most common first): bounds a typo query's postings work.</summary>
    private const int MaxTypos = 32;

    /// <summary>The indexed words a query word matches: itself; as the last word, its completions; if 5+ letters, words one edit away.</summary>
    private IEnumerable<(int WordId, bool Exact)> Variants(string word, bool prefix)
    {
        var found = new Dictionary<int, bool>();
        if (_wordIds.TryGetValue(word, out var id)) found[id] = true;
        if (prefix)
        {
            var completions = _vocabulary.StartingWith(word)
                .Select(v => _wordIds[v])
                .Where(v => _postings[v].Frequency > 0)
                .OrderByDescending(v => _postings[v].Frequency)
                .Take(MaxCompletions);
            foreach (var completion in completions) found[completion] = true;
        }
        if (word.Length >= 5)
        {
            var typos = new List<int>();
            foreach (var candidate in _vocabulary.All)
            {
                if (Math.Abs(candidate.Length - word.Length) <= 1 && OneEditApart(word, candidate)
                    && _wordIds[candidate] is var typo && !found.ContainsKey(typo) && _postings[typo].Frequency > 0)
                {
                    typos.Add(typo);
                }
            }
            foreach (var typo in typos.OrderByDescending(t => _postings[t].Frequency).ThenBy(t => t).Take(MaxTypos)) found[typo] = false;
        }
        return found.Select(f => (f.Key, f.Value));
    }

    /// <summary>One substitution, insertion, deletion or swap of neighbours apart (and not equal).</summary>
    internal static bool OneEditApart(string a, string b)
    {
        if (a == b) return false;
        if (a.Length == b.Length)
        {
            var first = -1;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] == b[i]) continue;
                if (first < 0) { first = i; continue; }
                // A second difference: only a swap of neighbours (ab → ba) is still one edit.
                return i == first + 1 && a[first] == b[i] && a[i] == b[first] && a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1));
            }
            return true;
        }
        var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
        if (longer.Length - shorter.Length != 1) return false;
        var k = 0;
        while (k < shorter.Length && shorter[k] == longer[k]) k++;
        return shorter.AsSpan(k).SequenceEqual(longer.AsSpan(k + 1));
    }

    private static bool IsAfter(double rank, string name, SearchCursor cursor) =>
        rank < (cursor.Rank ?? double.MaxValue) || (rank == cursor.Rank && string.CompareOrdinal(name, cursor.Name) > 0);

    private void RemoveLocked(string name)
    {
        if (!_ids.TryGetValue(name, out var id) || _entries[id] is not { } entry)
        {
            _ids.Remove(name);
            return;
        }
        // First what may fail (a restored entry's words come from a snapshot part): nothing is changed then.
        var words = WordsOf(EntryWords(id));
        _ids.Remove(name);
        _entries[id] = null;
        _names.Remove(name);
        RemoveFrom(_byOwner, entry.Owner, id);
        foreach (var tag in entry.Tags) RemoveFrom(_byTag, tag, id);
        foreach (var library in entry.Libraries) RemoveFrom(_byLibrary, library, id);
        RemoveFrom(_byLifecycle, entry.Lifecycle?.ToString(), id);
        foreach (var edge in entry.Edges) RemoveIncoming(_incoming, edge.To, id);
        var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
        foreach (var wordId in words)
        {
            postings[wordId].Frequency--;
        }
        DropEntryWords(id);
        _totalLength -= entry.Length;
        _staleSlots += words.Count;
        if (_staleSlots > CompactAfterStaleSlots && _staleSlots > _slots / 2)
        {
            Compact();
        }
    }

    /// <summary>Postings of removed entries are compacted away once more than this many (and half of all) are stale (tests set less).</summary>
    internal long CompactAfterStaleSlots { get; init; } = 1_000_000;

    /// <summary>Drops postings of removed entries (they are skipped, not deleted, on removal).</summary>
    private void Compact()
    {
        var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
        for (var w = 0; w < postings.Length; w++)
        {
            var kept = Postings.Empty;
            kept.Tail = new byte[postings[w].Length + postings[w].TailLength];
            kept.Frequency = postings[w].Frequency;
            ForEachPosting(w, (id, tf) =>
            {
                if (_entries[id] is not null) kept.Append(id, (float)tf);
            });
            Array.Resize(ref kept.Tail, kept.TailLength);
            postings[w] = kept;
        }
        CompactEntryWords();
        _slots -= _staleSlots;
        _staleSlots = 0;
    }

    private void AddFilters(IndexEntry entry, int id)
    {
        AddFilters(_byOwner, _byTag, _byLibrary, _byLifecycle, entry, id);
        foreach (var edge in entry.Edges) AddIncoming(_incoming, edge.To, id);
    }

    /// <summary>Adds slot <paramref name="id"/>, the newest, to the referrers of <paramref name="to"/> (once for two edges to it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddIncoming(Dictionary<string, List<int>> incoming, string to, int id)
    {
        if (!incoming.TryGetValue(to, out var ids)) incoming[to] = ids = new List<int>(1);
        if (ids.Count == 0 || ids[^1] != id) ids.Add(id);
    }

    private static void RemoveIncoming(Dictionary<string, List<int>> incoming, string to, int id)
    {
        if (!incoming.TryGetValue(to, out var ids)) return;
        var at = ids.BinarySearch(id);
        if (at >= 0) ids.RemoveAt(at);
        if (ids.Count == 0) incoming.Remove(to);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddFilters(Dictionary<string, HashSet<int>> byOwner, Dictionary<string, HashSet<int>> byTag,
        Dictionary<string, HashSet<int>> byLibrary, Dictionary<string, HashSet<int>> byLifecycle, IndexEntry entry, int id)
    {
        AddTo(byOwner, entry.Owner, id);
        foreach (var tag in entry.Tags) AddTo(byTag, tag, id);
        foreach (var library in entry.Libraries) AddTo(byLibrary, library, id);
        AddTo(byLifecycle, entry.Lifecycle?.ToString(), id);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
