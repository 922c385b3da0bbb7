using ComponentCatalog.Model;

namespace ComponentCatalog.Search;

/// <summary>
/// The in-memory index of one instance over every live document's <see cref="IndexEntry"/>:
/// sets per filter value, a sorted name list for keyset paging, word postings for ranked full text
/// (BM25), and incoming edges for the graph. Pure and thread-safe (one writer or many readers);
/// <see cref="ComponentSearch"/> keeps it fed from storage.
/// </summary>
internal sealed class CatalogIndex
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
    // Words are numbered once. Each word keeps its postings as one byte buffer of (entry id delta, weight in half
    // units) varints, in the order entries were added; each entry keeps its sorted word ids as delta varints (for
    // removal). About 3 bytes a word-in-document instead of 12 for an int list plus id and weight arrays
    // (docs/adr/0071-index-memory-and-snapshot.md). Removed entries are skipped in the postings, then compacted.
    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    /// <summary>Every word ever indexed, sorted: prefix completion of the last query word, typo candidates.</summary>
    private readonly SortedSet<string> _vocabulary = new(StringComparer.Ordinal);
    private readonly List<Postings> _postings = [];
    private readonly List<byte[]?> _entryWords = [];
    /// <summary>Shared copies of the filter values and edge targets, which repeat across entries.</summary>
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private double _totalLength;
    private long _staleSlots;
    private long _slots;

    /// <summary>One word's postings: (entry id − previous id, weight × 2) varints; <see cref="Frequency"/> counts live entries.</summary>
    private struct Postings
    {
        public byte[] Data;
        public int Length;
        public int Last;
        public int Frequency;

        public void Append(int id, float weight)
        {
            if (Data.Length - Length < 10) Array.Resize(ref Data, Math.Max(8, Data.Length * 2));
            Length = Varint.Write(Data, Length, (uint)(id - Last));
            Length = Varint.Write(Data, Length, Units(weight));
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

    /// <summary>Decodes a word's postings: (entry id, weight).</summary>
    private void ForEachPosting(int wordId, Action<int, double> visit)
    {
        var postings = _postings[wordId];
        var data = postings.Data.AsSpan(0, postings.Length);
        var at = 0;
        var id = -1;
        while (at < data.Length)
        {
            id += (int)Varint.Read(data, ref at);
            var units = Varint.Read(data, ref at);
            visit(id, units / 2.0);
        }
    }

    /// <summary>An entry's sorted word ids, decoded.</summary>
    private static List<int> WordsOf(byte[] encoded)
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

    /// <summary>The entry with its repeated strings (filter values, edge targets) shared across entries.</summary>
    private IndexEntry Shared(IndexEntry entry) => entry with
    {
        Owner = entry.Owner is null ? null : Intern(entry.Owner),
        Tags = [.. entry.Tags.Select(Intern)],
        Libraries = [.. entry.Libraries.Select(Intern)],
        Edges = [.. entry.Edges.Select(e => e with { From = entry.Name, To = Intern(e.To), Relationship = e.Relationship is null ? null : Intern(e.Relationship) })],
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
                    _postings.Add(new Postings { Data = [], Last = -1 });
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
            _entryWords.Add(encoded.AsSpan(0, length).ToArray());
            _slots += words.Length;
            entry = Shared(entry with { Terms = NoTerms });
            _entries.Add(entry);
            _ids[entry.Name] = id;
            _names.Add(entry.Name);
            AddFilters(entry, id);
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
            var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
            for (var w = 0; w < postings.Length; w++) Array.Resize(ref postings[w].Data, postings[w].Length);
            _postings.TrimExcess();
            _entries.TrimExcess();
            _entryWords.TrimExcess();
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>The snapshot format this build writes and reads; any other is ignored (the index is loaded by a scan).</summary>
    internal const int SnapshotFormat = 1;

    /// <summary>
    /// Writes the whole index as it is in memory (words with their postings, entry slots with their words), so
    /// <see cref="Import"/> restores exactly this state without re-tokenising or re-parsing any entry.
    /// </summary>
    internal void Export(BinaryWriter writer)
    {
        _lock.EnterReadLock();
        try
        {
            writer.Write(SnapshotFormat);
            var byId = new string[_postings.Count];
            foreach (var (word, id) in _wordIds) byId[id] = word;
            writer.Write(byId.Length);
            for (var w = 0; w < byId.Length; w++)
            {
                var postings = _postings[w];
                writer.Write(byId[w]);
                writer.Write(postings.Frequency);
                writer.Write(postings.Last);
                writer.Write(postings.Length);
                writer.Write(postings.Data, 0, postings.Length);
            }
            writer.Write(_entries.Count);
            for (var id = 0; id < _entries.Count; id++)
            {
                if (_entries[id] is not { } entry)
                {
                    writer.Write(false);
                    continue;
                }
                writer.Write(true);
                var metadata = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entry, CatalogJson.Options);
                writer.Write(metadata.Length);
                writer.Write(metadata);
                var words = _entryWords[id]!;
                writer.Write(words.Length);
                writer.Write(words);
            }
            writer.Write(_totalLength);
            writer.Write(_staleSlots);
            writer.Write(_slots);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Replaces this index with an exported one. Throws <see cref="InvalidDataException"/> when the data is not a
    /// snapshot of this format (the caller then loads by a scan); this index is left empty or unchanged then.
    /// </summary>
    internal void Import(BinaryReader reader)
    {
        try
        {
            if (reader.ReadInt32() != SnapshotFormat) throw new InvalidDataException("Not an index snapshot of this format.");
            var wordCount = reader.ReadInt32();
            var words = new string[wordCount];
            var postings = new List<Postings>(wordCount);
            for (var w = 0; w < wordCount; w++)
            {
                words[w] = reader.ReadString();
                var frequency = reader.ReadInt32();
                var last = reader.ReadInt32();
                var length = reader.ReadInt32();
                postings.Add(new Postings { Frequency = frequency, Last = last, Length = length, Data = ReadExactly(reader, length) });
            }
            var slots = reader.ReadInt32();
            var entries = new List<IndexEntry?>(slots);
            var entryWords = new List<byte[]?>(slots);
            for (var id = 0; id < slots; id++)
            {
                if (!reader.ReadBoolean())
                {
                    entries.Add(null);
                    entryWords.Add(null);
                    continue;
                }
                var metadata = ReadExactly(reader, reader.ReadInt32());
                entries.Add(System.Text.Json.JsonSerializer.Deserialize<IndexEntry>(metadata, CatalogJson.Options)
                    ?? throw new InvalidDataException("An empty entry."));
                entryWords.Add(ReadExactly(reader, reader.ReadInt32()));
            }
            var totalLength = reader.ReadDouble();
            var staleSlots = reader.ReadInt64();
            var allSlots = reader.ReadInt64();

            _lock.EnterWriteLock();
            try
            {
                foreach (var map in new[] { _byOwner, _byTag, _byLibrary, _byLifecycle, _incoming }) map.Clear();
                _ids.Clear();
                _names.Clear();
                _entries.Clear();
                _entryWords.Clear();
                _wordIds.Clear();
                _vocabulary.Clear();
                _postings.Clear();
                _strings.Clear();
                _postings.AddRange(postings);
                for (var w = 0; w < words.Length; w++) _wordIds[words[w]] = w;
                _vocabulary.UnionWith(words);
                _entryWords.AddRange(entryWords);
                for (var id = 0; id < entries.Count; id++)
                {
                    if (entries[id] is not { } entry)
                    {
                        _entries.Add(null);
                        continue;
                    }
                    entry = Shared(entry);
                    _entries.Add(entry);
                    _ids[entry.Name] = id;
                    _names.Add(entry.Name);
                    AddFilters(entry, id);
                }
                _totalLength = totalLength;
                _staleSlots = staleSlots;
                _slots = allSlots;
            }
            finally { _lock.ExitWriteLock(); }
        }
        catch (Exception e) when (e is EndOfStreamException or System.Text.Json.JsonException or ArgumentException or IOException or FormatException)
        {
            throw new InvalidDataException("A damaged index snapshot.", e);
        }
    }

    private static byte[] ReadExactly(BinaryReader reader, int length)
    {
        if (length < 0) throw new InvalidDataException("A negative length.");
        var data = reader.ReadBytes(length);
        return data.Length == length ? data : throw new EndOfStreamException();
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

    /// <summary>
    /// BM25 over every word of every document; all query words must match. The last word also matches the words it
    /// begins (search as you type: "paym" finds "payments"), and a word of 5 letters or more also matches words one
    /// edit away (a typo). A document's rank is first the number of query words it matches exactly or by prefix, then
    /// BM25, so a typo match always ranks below a document that matches as typed.
    /// </summary>
    private SearchPage Ranked(string[] words, Func<int, bool> matches, SearchCursor? after, int limit)
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
        Dictionary<int, (double Score, int Exact)>? candidates = null;
        foreach (var options in variants)
        {
            var best = new Dictionary<int, (double Bm25, bool Exact)>();
            foreach (var (wordId, isExact, idf) in options)
            {
                ForEachPosting(wordId, (id, tf) =>
                {
                    if (candidates is not null && !candidates.ContainsKey(id)) return;
                    if (_entries[id] is not { } entry) return;
                    var bm25 = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * entry.Length / averageLength));
                    if (best.TryGetValue(id, out var current))
                    {
                        if (isExact && !current.Exact || isExact == current.Exact && bm25 > current.Bm25) best[id] = (bm25, isExact);
                    }
                    else if (candidates is not null || matches(id))
                    {
                        best[id] = (bm25, isExact);
                    }
                });
            }
            var kept = new Dictionary<int, (double Score, int Exact)>(best.Count);
            foreach (var (id, (bm25, isExact)) in best)
            {
                var (score, exact) = candidates is null ? (0d, 0) : candidates[id];
                kept[id] = (score + bm25, exact + (isExact ? 1 : 0));
            }
            candidates = kept;
            if (candidates.Count == 0) return new SearchPage([], null);
        }

        var hits = new List<(double Rank, IndexEntry Entry)>();
        foreach (var (id, (score, exact)) in candidates!)
        {
            var entry = _entries[id]!;
            var rank = Math.Round(exact * TierWeight + Math.Min(score, TierWeight - 1), 6);
            if (after is not null && !IsAfter(rank, entry.Name, after)) continue;
            hits.Add((rank, entry));
        }

        hits.Sort((a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : string.CompareOrdinal(a.Entry.Name, b.Entry.Name));
        var page = hits.Take(limit).ToList();
        var next = hits.Count > limit ? new SearchCursor(page[^1].Rank, page[^1].Entry.Name) : null;
        return new SearchPage(page.Select(h => h.Entry).ToList(), next);
    }

    /// <summary>Above any BM25 sum: ranks by "matched as typed" first.</summary>
    private const double TierWeight = 10_000;

    /// <summary>At most this many completions of a prefix (the most common first).</summary>
    private const int MaxCompletions = 64;

    /// <summary>The indexed words a query word matches: itself; as the last word, its completions; if 5+ letters, words one edit away.</summary>
    private IEnumerable<(int WordId, bool Exact)> Variants(string word, bool prefix)
    {
        var found = new Dictionary<int, bool>();
        if (_wordIds.TryGetValue(word, out var id)) found[id] = true;
        if (prefix && _vocabulary.Count > 0 && string.CompareOrdinal(word, _vocabulary.Max) <= 0)
        {
            var completions = _vocabulary.GetViewBetween(word, _vocabulary.Max!)
                .TakeWhile(v => v.StartsWith(word, StringComparison.Ordinal))
                .Select(v => _wordIds[v])
                .Where(v => _postings[v].Frequency > 0)
                .OrderByDescending(v => _postings[v].Frequency)
                .Take(MaxCompletions);
            foreach (var completion in completions) found[completion] = true;
        }
        if (word.Length >= 5)
        {
            foreach (var candidate in _vocabulary)
            {
                if (Math.Abs(candidate.Length - word.Length) <= 1 && !found.ContainsKey(_wordIds[candidate]) && OneEditApart(word, candidate))
                {
                    found[_wordIds[candidate]] = false;
                }
            }
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
        var words = WordsOf(_entryWords[id]!);
        var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
        foreach (var wordId in words)
        {
            postings[wordId].Frequency--;
        }
        _entryWords[id] = null;
        _totalLength -= entry.Length;
        _staleSlots += words.Count;
        if (_staleSlots > 1_000_000 && _staleSlots > _slots / 2)
        {
            Compact();
        }
    }

    /// <summary>Drops postings of removed entries (they are skipped, not deleted, on removal).</summary>
    private void Compact()
    {
        var postings = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings);
        for (var w = 0; w < postings.Length; w++)
        {
            var kept = new Postings { Data = new byte[postings[w].Length], Last = -1, Frequency = postings[w].Frequency };
            ForEachPosting(w, (id, tf) =>
            {
                if (_entries[id] is not null) kept.Append(id, (float)tf);
            });
            Array.Resize(ref kept.Data, kept.Length);
            postings[w] = kept;
        }
        _slots -= _staleSlots;
        _staleSlots = 0;
    }

    private void AddFilters(IndexEntry entry, int id)
    {
        AddTo(_byOwner, entry.Owner, id);
        foreach (var tag in entry.Tags) AddTo(_byTag, tag, id);
        foreach (var library in entry.Libraries) AddTo(_byLibrary, library, id);
        AddTo(_byLifecycle, entry.Lifecycle?.ToString(), id);
        foreach (var edge in entry.Edges) AddTo(_incoming, edge.To, id);
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
