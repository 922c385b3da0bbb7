using System.Runtime.CompilerServices;
using System.Text;

namespace ComponentCatalog.Search;

/// <summary>
/// The stored snapshot of the index (docs/adr/0071-index-memory-and-snapshot.md): the in-memory structures as binary
/// parts that restore as arrays — no JSON, no re-tokenising. Part 0 holds the counts, the part ranges and the
/// vocabulary (each word's frequency and postings length); then the entries (summary fields and filters, a range of
/// slots each) — together the <em>eager</em> parts an instance needs before it answers; then the postings (a range of
/// word ids each) and each entry's word ids (for removal), which are fetched when a query or a write first needs
/// them and otherwise in the background after the first answer. Each part is about <see cref="PartBytes"/> raw.
/// </summary>
internal sealed partial class CatalogIndex
{
    /// <summary>The snapshot format this build writes and reads; any other is ignored (the index is loaded by a scan).</summary>
    internal const int SnapshotFormat = 3;

    /// <summary>Raw size a snapshot part aims at: small enough to fetch on demand and to decode in parallel (tests set less).</summary>
    internal int PartBytes { get; init; } = 1 << 20;

    /// <summary>Postings parts restored lazily, decompressed, by part number; null until fetched.</summary>
    private byte[]?[] _parts = [];

    /// <summary>Fetches (blocking) a lazy part of the restored snapshot as stored (compressed); null when nothing was restored.</summary>
    private Func<int, byte[]>? _fetch;

    /// <summary>Postings parts: expected raw length by part number (validated on arrival).</summary>
    private Dictionary<int, long> _postingsPartBytes = [];

    /// <summary>A restored word's postings bytes (fetching its part when not yet present); empty for words added since.</summary>
    private ReadOnlySpan<byte> RestoredPostings(int wordId)
    {
        var postings = _postings[wordId];
        return postings.Part < 0 || postings.Length == 0 ? default : Part(postings.Part).AsSpan(postings.Offset, postings.Length);
    }

    private byte[] Part(int part)
    {
        if (Volatile.Read(ref _parts[part]) is { } present) return present;
        var fetched = SnapshotCompression.Decompress(_fetch?.Invoke(part) ?? throw new InvalidOperationException("A snapshot part without a source."));
        CheckPostings(part, fetched);
        return Interlocked.CompareExchange(ref _parts[part], fetched, null) ?? fetched;
    }

    /// <summary>Lazy parts not yet present (the background loader fetches these after the first answer).</summary>
    internal IReadOnlyList<int> MissingParts()
    {
        _lock.EnterReadLock();
        try
        {
            var missing = new List<int>();
            for (var p = 0; p < _parts.Length; p++)
            {
                if (_postingsPartBytes.ContainsKey(p) && Volatile.Read(ref _parts[p]) is null) missing.Add(p);
            }
            missing.AddRange(_wordBlocks.Where(b => b.Part >= 0 && Volatile.Read(ref b.Stored) is null).Select(b => b.Part));
            return missing;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The lazy parts <paramref name="query"/> would read that are not present yet: fetch them before searching.</summary>
    internal IReadOnlyList<int> MissingParts(SearchQuery query)
    {
        _lock.EnterReadLock();
        try
        {
            var words = TextTokenizer.Tokens(query.Q).Distinct(StringComparer.Ordinal).ToArray();
            var missing = new HashSet<int>();
            for (var w = 0; w < words.Length; w++)
            {
                foreach (var (wordId, _) in Variants(words[w], prefix: w == words.Length - 1))
                {
                    var part = _postings[wordId].Part;
                    if (part >= 0 && _postings[wordId].Length > 0 && Volatile.Read(ref _parts[part]) is null) missing.Add(part);
                }
            }
            return [.. missing];
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// A lazy part fetched by the caller (the background loader or before a search), as stored: checked, then kept —
    /// postings decompressed, entry words as they are (<see cref="EntryWords"/>).
    /// </summary>
    internal void AddPart(int part, byte[] stored)
    {
        _lock.EnterReadLock();
        try
        {
            if (part >= 0 && part < _parts.Length && _postingsPartBytes.ContainsKey(part))
            {
                var raw = SnapshotCompression.Decompress(stored);
                CheckPostings(part, raw);
                Interlocked.CompareExchange(ref _parts[part], raw, null);
            }
            else if (RestoredWordBlock(part) is { } block)
            {
                CheckedWords(block, stored);
                Interlocked.CompareExchange(ref block.Stored, stored, null);
            }
            else
            {
                throw new InvalidDataException("Not a lazy part of this snapshot.");
            }
        }
        finally { _lock.ExitReadLock(); }
    }

    private void CheckPostings(int part, byte[] raw)
    {
        if (raw.Length != _postingsPartBytes[part]) throw new InvalidDataException("A postings part of the wrong length.");
    }

    /// <summary>
    /// Writes the whole index as it is in memory as raw (uncompressed) snapshot parts, eager ones first;
    /// <see cref="Import"/> restores it. Fetches any lazy part of a restore not yet present.
    /// </summary>
    internal (List<byte[]> Parts, int Eager) Export()
    {
        _lock.EnterReadLock();
        try
        {
            var entryRanges = Ranges(_entries.Count, id => _entries[id] is null ? 1 : 100);
            var postingRanges = Ranges(_postings.Count, w => _postings[w].Length + _postings[w].TailLength);
            var wordParts = ExportEntryWords();
            var wordRanges = wordParts.Select(p => (p.First, p.Count)).ToList();
            var parts = new List<byte[]>(1 + entryRanges.Count + postingRanges.Count + wordRanges.Count);

            var byId = new string[_postings.Count];
            foreach (var (word, id) in _wordIds) byId[id] = word;
            using (var head = new MemoryStream())
            using (var writer = new BinaryWriter(head, Encoding.UTF8))
            {
                writer.Write(SnapshotFormat);
                writer.Write(byId.Length);
                writer.Write(_entries.Count);
                writer.Write(_totalLength);
                writer.Write(_staleSlots);
                writer.Write(_slots);
                foreach (var ranges in new[] { entryRanges, postingRanges, wordRanges })
                {
                    writer.Write(ranges.Count);
                    foreach (var (first, count) in ranges)
                    {
                        writer.Write(first);
                        writer.Write(count);
                    }
                }
                for (var w = 0; w < byId.Length; w++)
                {
                    var postings = _postings[w];
                    writer.Write(byId[w]);
                    writer.Write7BitEncodedInt(postings.Frequency);
                    writer.Write7BitEncodedInt(postings.Last + 1);
                    writer.Write7BitEncodedInt(postings.Length + postings.TailLength);
                }
                writer.Flush();
                parts.Add(head.ToArray());
            }

            foreach (var (first, count) in entryRanges)
            {
                using var buffer = new MemoryStream();
                using var writer = new BinaryWriter(buffer, Encoding.UTF8);
                for (var id = first; id < first + count; id++)
                {
                    writer.Write(_entries[id] is not null);
                    if (_entries[id] is { } entry) WriteEntry(writer, entry);
                }
                writer.Flush();
                parts.Add(buffer.ToArray());
            }

            foreach (var (first, count) in postingRanges)
            {
                var part = new byte[Enumerable.Range(first, count).Sum(w => (long)_postings[w].Length + _postings[w].TailLength)];
                var at = 0;
                for (var w = first; w < first + count; w++)
                {
                    RestoredPostings(w).CopyTo(part.AsSpan(at));
                    at += _postings[w].Length;
                    // The tail continues the restored bytes' id deltas: copied as is.
                    _postings[w].Tail.AsSpan(0, _postings[w].TailLength).CopyTo(part.AsSpan(at));
                    at += _postings[w].TailLength;
                }
                parts.Add(part);
            }

            parts.AddRange(wordParts.Select(p => p.Raw));
            return (parts, 1 + entryRanges.Count);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Consecutive ranges of [0, count) of about <see cref="PartBytes"/> each by <paramref name="size"/>.</summary>
    private List<(int First, int Count)> Ranges(int count, Func<int, int> size)
    {
        var ranges = new List<(int, int)>();
        var first = 0;
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            bytes += size(i);
            if (bytes >= PartBytes)
            {
                ranges.Add((first, i + 1 - first));
                first = i + 1;
                bytes = 0;
            }
        }
        if (first < count) ranges.Add((first, count - first));
        return ranges;
    }

    /// <summary>
    /// Replaces this index with an exported one, from its eager parts (raw, in order); the other parts are present
    /// later through <see cref="AddPart"/> or fetched by <paramref name="fetch"/> (blocking, as stored: compressed) when
    /// first needed. Throws
    /// <see cref="InvalidDataException"/> when the parts are not a snapshot of this format (the caller then loads by a
    /// scan); this index is unchanged then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Import(IReadOnlyList<byte[]> eager, int totalParts, Func<int, byte[]> fetch)
    {
        if (eager.Count == 0) throw new InvalidDataException("An empty index snapshot.");
        string[] words;
        Postings[] postings;
        IndexEntry?[] entries;
        List<(int First, int Count)>[] ranges = [[], [], []];
        double totalLength;
        long staleSlots, allSlots;
        var postingsPartBytes = new Dictionary<int, long>();
        var entryWordParts = new List<(int First, int Count, int Part)>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(eager[0]), Encoding.UTF8);
            if (reader.ReadInt32() != SnapshotFormat) throw new InvalidDataException("Not an index snapshot of this format.");
            var wordCount = Checked(reader.ReadInt32());
            var slots = Checked(reader.ReadInt32());
            totalLength = reader.ReadDouble();
            staleSlots = reader.ReadInt64();
            allSlots = reader.ReadInt64();
            foreach (var list in ranges)
            {
                var n = Checked(reader.ReadInt32());
                for (var r = 0; r < n; r++) list.Add((Checked(reader.ReadInt32()), Checked(reader.ReadInt32())));
            }
            if (eager.Count != 1 + ranges[0].Count || totalParts != 1 + ranges[0].Count + ranges[1].Count + ranges[2].Count
                || ranges[0].Sum(r => (long)r.Count) != slots || ranges[1].Sum(r => (long)r.Count) != wordCount || ranges[2].Sum(r => (long)r.Count) != slots)
            {
                throw new InvalidDataException("Snapshot parts that do not match its header.");
            }
            words = new string[wordCount];
            postings = new Postings[wordCount];
            var part = 1 + ranges[0].Count;
            foreach (var (first, count) in ranges[1])
            {
                long at = 0;
                for (var w = first; w < first + count; w++)
                {
                    words[w] = reader.ReadString();
                    postings[w] = Postings.Empty;
                    postings[w].Frequency = reader.Read7BitEncodedInt();
                    postings[w].Last = reader.Read7BitEncodedInt() - 1;
                    postings[w].Part = part;
                    postings[w].Offset = (int)at;
                    postings[w].Length = Checked(reader.Read7BitEncodedInt());
                    at += postings[w].Length;
                }
                if (at > int.MaxValue) throw new InvalidDataException("A postings part too large.");
                postingsPartBytes[part++] = at;
            }
            foreach (var (first, count) in ranges[2]) entryWordParts.Add((first, count, part++));
            entries = new IndexEntry?[slots];
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException("A damaged index snapshot.", e);
        }

        // The entries parts on their own, in parallel, their repeated strings (filter values, edge targets) shared.
        var strings = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failure = default(Exception);
        Parallel.For(1, eager.Count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            try
            {
                var (first, count) = ranges[0][p - 1];
                using var reader = new BinaryReader(new MemoryStream(eager[p], writable: false), Encoding.UTF8);
                for (var id = first; id < first + count; id++)
                {
                    if (reader.ReadBoolean()) entries[id] = ReadEntry(reader, strings);
                }
                if (reader.BaseStream.Position != eager[p].Length) throw new InvalidDataException("An entries part of the wrong length.");
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        });
        if (failure is not null) throw new InvalidDataException("A damaged index snapshot.", failure);

        // Everything else is built outside the lock, on two threads: the word and name lookups, and the filter sets.
        var wordIds = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        Vocabulary? vocabulary = null;
        SortedSet<string>? names = null;
        var ids = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
        Dictionary<string, HashSet<int>> byOwner = new(StringComparer.Ordinal), byTag = new(StringComparer.Ordinal),
            byLibrary = new(StringComparer.Ordinal), byLifecycle = new(StringComparer.Ordinal);
        Dictionary<string, List<int>> incoming = new(StringComparer.Ordinal);
        Parallel.Invoke(
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
            {
                for (var w = 0; w < words.Length; w++)
                {
                    if (!wordIds.TryAdd(words[w], w)) Interlocked.CompareExchange(ref failure, new InvalidDataException("A word twice in an index snapshot."), null);
                }
                vocabulary = new Vocabulary(words);
                for (var id = 0; id < entries.Length; id++)
                {
                    if (entries[id] is { } entry && !ids.TryAdd(entry.Name, id)) Interlocked.CompareExchange(ref failure, new InvalidDataException("A name twice in an index snapshot."), null);
                }
                names = new SortedSet<string>(ids.Keys, StringComparer.Ordinal);
            },
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
            {
                for (var id = 0; id < entries.Length; id++)
                {
                    if (entries[id] is { } entry) AddFilters(byOwner, byTag, byLibrary, byLifecycle, entry, id);
                }
            },
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
            {
                for (var id = 0; id < entries.Length; id++)
                {
                    if (entries[id] is not { } entry) continue;
                    foreach (var edge in entry.Edges) AddIncoming(incoming, edge.To, id);
                }
                foreach (var ids in incoming.Values) ids.TrimExcess();
            });
        if (failure is not null) throw (InvalidDataException)failure;

        _lock.EnterWriteLock();
        try
        {
            _byOwner = byOwner;
            _byTag = byTag;
            _byLibrary = byLibrary;
            _byLifecycle = byLifecycle;
            _incoming = incoming;
            _ids = ids;
            _strings = new Dictionary<string, string>(strings, StringComparer.Ordinal);
            _wordIds = wordIds;
            _vocabulary = vocabulary!;
            _names = names!;
            _postings.Clear();
            _postings.AddRange(postings);
            _parts = new byte[]?[totalParts];
            _fetch = fetch;
            _postingsPartBytes = postingsPartBytes;
            RestoreEntryWords(entryWordParts, entries.Length);
            _entries.Clear();
            _entries.AddRange(entries);
            _totalLength = totalLength;
            _staleSlots = staleSlots;
            _slots = allSlots;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Empties the index (a restore that turned out damaged, before it is rebuilt by a scan).</summary>
    internal void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var map in new[] { _byOwner, _byTag, _byLibrary, _byLifecycle }) map.Clear();
            _incoming.Clear();
            _ids.Clear();
            _entries.Clear();
            _strings.Clear();
            _wordIds.Clear();
            _vocabulary = new Vocabulary();
            _names = new SortedSet<string>(StringComparer.Ordinal);
            _postings.Clear();
            _parts = [];
            _fetch = null;
            _postingsPartBytes = [];
            RestoreEntryWords([], 0);
            _totalLength = 0;
            _staleSlots = 0;
            _slots = 0;
        }
        finally { _lock.ExitWriteLock(); }
    }

    private static int Checked(int value) => value >= 0 ? value : throw new InvalidDataException("A negative count in an index snapshot.");

    private static void WriteEntry(BinaryWriter writer, IndexEntry entry)
    {
        writer.Write(entry.Name);
        WriteOptional(writer, entry.Title);
        WriteOptional(writer, entry.Owner);
        WriteList(writer, entry.Tags);
        writer.Write((byte)(entry.Lifecycle is { } lifecycle ? (int)lifecycle + 1 : 0));
        writer.Write(entry.Score.HasValue);
        writer.Write(entry.Score ?? 0);
        writer.Write(entry.Revision);
        WriteTime(writer, entry.UpdatedAt);
        writer.Write(entry.ReviewedAt.HasValue);
        if (entry.ReviewedAt is { } reviewed) WriteTime(writer, reviewed);
        WriteList(writer, entry.Libraries);
        writer.Write7BitEncodedInt(entry.Edges.Count);
        foreach (var edge in entry.Edges)
        {
            writer.Write(edge.To);
            writer.Write(edge.Kind);
            WriteOptional(writer, edge.Relationship);
        }
        writer.Write(entry.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static IndexEntry ReadEntry(BinaryReader reader, System.Collections.Concurrent.ConcurrentDictionary<string, string> strings)
    {
        string Shared(string value) => strings.GetOrAdd(value, value);
        var name = reader.ReadString();
        var title = ReadOptional(reader);
        var owner = ReadOptional(reader) is { } o ? Shared(o) : null;
        var tags = ReadList(reader);
        for (var t = 0; t < tags.Length; t++) tags[t] = Shared(tags[t]);
        var lifecycle = reader.ReadByte();
        var hasScore = reader.ReadBoolean();
        var score = reader.ReadInt32();
        var revision = reader.ReadInt32();
        var updatedAt = ReadTime(reader);
        DateTimeOffset? reviewedAt = reader.ReadBoolean() ? ReadTime(reader) : null;
        var libraries = ReadList(reader);
        for (var l = 0; l < libraries.Length; l++) libraries[l] = Shared(libraries[l]);
        var edges = new GraphEdge[Checked(reader.Read7BitEncodedInt())];
        for (var e = 0; e < edges.Length; e++)
        {
            var to = Shared(reader.ReadString());
            var kind = Shared(reader.ReadString());
            edges[e] = new GraphEdge(name, to, kind, ReadOptional(reader) is { } relationship ? Shared(relationship) : null);
        }
        return new IndexEntry
        {
            Name = name,
            Title = title,
            Owner = owner,
            Tags = tags,
            Lifecycle = lifecycle == 0 ? null : Enum.IsDefined((Model.Lifecycle)(lifecycle - 1)) ? (Model.Lifecycle)(lifecycle - 1) : throw new InvalidDataException("An unknown lifecycle."),
            Score = hasScore ? score : null,
            Revision = revision,
            UpdatedAt = updatedAt,
            ReviewedAt = reviewedAt,
            Libraries = libraries,
            Edges = edges,
            Length = reader.ReadSingle(),
        };
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write7BitEncodedInt(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string[] ReadList(BinaryReader reader)
    {
        var values = new string[Checked(reader.Read7BitEncodedInt())];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadString();
        return values;
    }

    private static void WriteTime(BinaryWriter writer, DateTimeOffset value)
    {
        writer.Write(value.Ticks);
        writer.Write((short)value.Offset.TotalMinutes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset ReadTime(BinaryReader reader) => new(reader.ReadInt64(), TimeSpan.FromMinutes(reader.ReadInt16()));
}
