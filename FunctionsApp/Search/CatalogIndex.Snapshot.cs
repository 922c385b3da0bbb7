using System.Text;

namespace ComponentCatalog.Search;

/// <summary>
/// The stored snapshot of the index (docs/adr/0071-index-memory-and-snapshot.md): the in-memory structures as
/// binary parts that restore as arrays — no JSON, no re-tokenising, postings and entry words kept as slices of
/// the part they arrived in. Part 0 holds the counts, the part ranges and the vocabulary; then postings parts
/// (a range of word ids each) and entry parts (a range of entry slots each), about <see cref="PartBytes"/> each,
/// which are compressed, stored, fetched and decoded independently (in parallel).
/// </summary>
public sealed partial class CatalogIndex
{
    /// <summary>The snapshot format this build writes and reads; any other is ignored (the index is loaded by a scan).</summary>
    internal const int SnapshotFormat = 2;

    /// <summary>Raw size a snapshot part aims at: small enough to decode in parallel and while the rest downloads.</summary>
    internal const int PartBytes = 1 << 20;

    /// <summary>Writes the whole index as it is in memory as raw (uncompressed) snapshot parts; <see cref="Import"/> restores it.</summary>
    internal List<byte[]> Export()
    {
        _lock.EnterReadLock();
        try
        {
            var postingRanges = Ranges(_postings.Count, w => _postings[w].Length);
            var entryRanges = Ranges(_entries.Count, id => _entries[id] is null ? 1 : 64 + _entryWords[id].Length);
            var parts = new List<byte[]>(1 + postingRanges.Count + entryRanges.Count);

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
                foreach (var ranges in new[] { postingRanges, entryRanges })
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
                    writer.Write7BitEncodedInt(postings.Length);
                }
                writer.Flush();
                parts.Add(head.ToArray());
            }

            foreach (var (first, count) in postingRanges)
            {
                var part = new byte[Enumerable.Range(first, count).Sum(w => (long)_postings[w].Length)];
                var at = 0;
                for (var w = first; w < first + count; w++)
                {
                    _postings[w].Span.CopyTo(part.AsSpan(at));
                    at += _postings[w].Length;
                }
                parts.Add(part);
            }

            foreach (var (first, count) in entryRanges)
            {
                using var buffer = new MemoryStream();
                using var writer = new BinaryWriter(buffer, Encoding.UTF8);
                for (var id = first; id < first + count; id++)
                {
                    if (_entries[id] is not { } entry)
                    {
                        writer.Write(false);
                        continue;
                    }
                    writer.Write(true);
                    WriteEntry(writer, entry);
                    var words = _entryWords[id].Span;
                    writer.Write7BitEncodedInt(words.Length);
                    writer.Write(words);
                }
                writer.Flush();
                parts.Add(buffer.ToArray());
            }
            return parts;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Consecutive ranges of [0, count) of about <see cref="PartBytes"/> each by <paramref name="size"/>.</summary>
    private static List<(int First, int Count)> Ranges(int count, Func<int, int> size)
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
    /// Replaces this index with an exported one, from its raw parts in order. Throws <see cref="InvalidDataException"/>
    /// when the parts are not a snapshot of this format (the caller then loads by a scan); this index is unchanged then.
    /// </summary>
    internal void Import(IReadOnlyList<byte[]> parts)
    {
        if (parts.Count == 0) throw new InvalidDataException("An empty index snapshot.");
        string[] words;
        Postings[] postings;
        IndexEntry?[] entries;
        ReadOnlyMemory<byte>[] entryWords;
        int[] postingLengths;
        List<(int First, int Count)>[] ranges = [[], []];
        double totalLength;
        long staleSlots, allSlots;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(parts[0]), Encoding.UTF8);
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
            if (parts.Count != 1 + ranges[0].Count + ranges[1].Count
                || ranges[0].Sum(r => (long)r.Count) != wordCount || ranges[1].Sum(r => (long)r.Count) != slots)
            {
                throw new InvalidDataException("Snapshot parts that do not match its header.");
            }
            words = new string[wordCount];
            postings = new Postings[wordCount];
            postingLengths = new int[wordCount];
            for (var w = 0; w < wordCount; w++)
            {
                words[w] = reader.ReadString();
                postings[w].Frequency = reader.Read7BitEncodedInt();
                postings[w].Last = reader.Read7BitEncodedInt() - 1;
                postingLengths[w] = Checked(reader.Read7BitEncodedInt());
            }
            entries = new IndexEntry?[slots];
            entryWords = new ReadOnlyMemory<byte>[slots];
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new InvalidDataException("A damaged index snapshot.", e);
        }

        // Every other part on its own, in parallel: postings are sliced in place, entries decoded.
        var failure = default(Exception);
        Parallel.For(1, parts.Count, p =>
        {
            try
            {
                if (p <= ranges[0].Count)
                {
                    var (first, count) = ranges[0][p - 1];
                    var at = 0;
                    for (var w = first; w < first + count; w++)
                    {
                        postings[w].Data = parts[p];
                        postings[w].Offset = at;
                        postings[w].Length = postingLengths[w];
                        at += postingLengths[w];
                    }
                    if (at != parts[p].Length) throw new InvalidDataException("A postings part of the wrong length.");
                }
                else
                {
                    var (first, count) = ranges[1][p - 1 - ranges[0].Count];
                    using var reader = new BinaryReader(new MemoryStream(parts[p], writable: false), Encoding.UTF8);
                    for (var id = first; id < first + count; id++)
                    {
                        if (!reader.ReadBoolean()) continue;
                        entries[id] = ReadEntry(reader);
                        var length = Checked(reader.Read7BitEncodedInt());
                        var at = (int)reader.BaseStream.Position;
                        if (at + length > parts[p].Length) throw new EndOfStreamException();
                        entryWords[id] = parts[p].AsMemory(at, length);
                        reader.BaseStream.Position = at + length;
                    }
                    if (reader.BaseStream.Position != parts[p].Length) throw new InvalidDataException("An entries part of the wrong length.");
                }
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        });
        if (failure is not null) throw new InvalidDataException("A damaged index snapshot.", failure);

        var wordIds = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var w = 0; w < words.Length; w++)
        {
            if (!wordIds.TryAdd(words[w], w)) throw new InvalidDataException("A word twice in an index snapshot.");
        }
        var vocabulary = new SortedSet<string>(words, StringComparer.Ordinal);
        var names = new SortedSet<string>(entries.OfType<IndexEntry>().Select(e => e.Name), StringComparer.Ordinal);

        _lock.EnterWriteLock();
        try
        {
            foreach (var map in new[] { _byOwner, _byTag, _byLibrary, _byLifecycle, _incoming }) map.Clear();
            _ids.Clear();
            _entries.Clear();
            _entryWords.Clear();
            _strings.Clear();
            _wordIds.Clear();
            _wordIds.EnsureCapacity(words.Length);
            foreach (var (word, id) in wordIds) _wordIds[word] = id;
            _vocabulary = vocabulary;
            _names = names;
            _postings.Clear();
            _postings.AddRange(postings);
            _entryWords.AddRange(entryWords);
            _entries.Capacity = Math.Max(_entries.Capacity, entries.Length);
            _ids.EnsureCapacity(names.Count);
            for (var id = 0; id < entries.Length; id++)
            {
                if (entries[id] is not { } entry)
                {
                    _entries.Add(null);
                    continue;
                }
                entry = Shared(entry);
                _entries.Add(entry);
                _ids[entry.Name] = id;
                AddFilters(entry, id);
            }
            _totalLength = totalLength;
            _staleSlots = staleSlots;
            _slots = allSlots;
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

    private static IndexEntry ReadEntry(BinaryReader reader)
    {
        var name = reader.ReadString();
        var title = ReadOptional(reader);
        var owner = ReadOptional(reader);
        var tags = ReadList(reader);
        var lifecycle = reader.ReadByte();
        var hasScore = reader.ReadBoolean();
        var score = reader.ReadInt32();
        var revision = reader.ReadInt32();
        var updatedAt = ReadTime(reader);
        DateTimeOffset? reviewedAt = reader.ReadBoolean() ? ReadTime(reader) : null;
        var libraries = ReadList(reader);
        var edges = new GraphEdge[Checked(reader.Read7BitEncodedInt())];
        for (var e = 0; e < edges.Length; e++) edges[e] = new GraphEdge(name, reader.ReadString(), reader.ReadString(), ReadOptional(reader));
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

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write7BitEncodedInt(values.Count);
        foreach (var value in values) writer.Write(value);
    }

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

    private static DateTimeOffset ReadTime(BinaryReader reader) => new(reader.ReadInt64(), TimeSpan.FromMinutes(reader.ReadInt16()));
}
