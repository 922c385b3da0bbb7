using System.IO.Compression;

namespace ComponentCatalog.Search;

/// <summary>
/// Each entry's sorted word ids (delta varints), read only to remove or replace the entry and to write a snapshot:
/// kept compressed in blocks of consecutive slots, the newest entries uncompressed until they fill
/// <see cref="SealBytes"/>. A removal decompresses one block (the last one is kept decompressed for the next). A
/// restored snapshot's entry-word parts are such blocks, kept as stored. Blocks are compressed at the optimal level as
/// the snapshot's parts are (0.4 bytes a word-in-document against 0.64 at the fastest); a compaction, which rewrites every
/// block under the write lock, uses the fastest (docs/adr/0071-index-memory-and-snapshot.md).
/// </summary>
internal sealed partial class CatalogIndex
{
    /// <summary>Raw entry-word bytes gathered before they are compressed into a block (a removal decompresses one block; tests set less).</summary>
    internal int SealBytes { get; init; } = 256 << 10;

    /// <summary>
    /// The word ids of slots [<see cref="First"/>, +<see cref="Count"/>) in the layout of a snapshot part (an offset table of
    /// Count + 1 ints, then each slot's bytes), compressed as <see cref="SnapshotCompression"/> does. <see cref="Part"/> is
    /// the snapshot part it was restored from (−1 when compressed here); <see cref="Stored"/> is null until that part arrives.
    /// </summary>
    private sealed class WordBlock(int first, int count, int part)
    {
        public int First => first;
        public int Count => count;
        public int Part => part;
        public byte[]? Stored;
    }

    /// <summary>A decompressed block, kept for the next removal from it.</summary>
    private sealed record RawBlock(WordBlock Block, byte[] Raw);

    private List<WordBlock> _wordBlocks = [];
    /// <summary>Slots below this are in <see cref="_wordBlocks"/>; slot <c>_sealedSlots + i</c> is <see cref="_openWords"/>[i].</summary>
    private int _sealedSlots;
    private readonly List<byte[]?> _openWords = [];
    private int _openBytes;
    private volatile RawBlock? _lastBlock;

    /// <summary>An entry's sorted word ids (delta varints); fetches its restored part when not present yet.</summary>
    private ReadOnlySpan<byte> EntryWords(int id)
    {
        if (id >= _sealedSlots) return _openWords[id - _sealedSlots];
        var lo = 0;
        var hi = _wordBlocks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_wordBlocks[mid].First <= id) lo = mid;
            else hi = mid - 1;
        }
        var block = _wordBlocks[lo];
        return Slot(RawOf(block), id - block.First);
    }

    private static ReadOnlySpan<byte> Slot(byte[] raw, int k)
    {
        var start = BitConverter.ToInt32(raw, k * 4);
        return raw.AsSpan(start, BitConverter.ToInt32(raw, k * 4 + 4) - start);
    }

    private byte[] RawOf(WordBlock block)
    {
        if (_lastBlock is { } last && last.Block == block) return last.Raw;
        byte[] raw;
        if (Volatile.Read(ref block.Stored) is { } stored)
        {
            raw = SnapshotCompression.Decompress(stored);
        }
        else
        {
            var fetched = _fetch?.Invoke(block.Part) ?? throw new InvalidOperationException("A snapshot part without a source.");
            raw = CheckedWords(block, fetched);
            Interlocked.CompareExchange(ref block.Stored, fetched, null);
        }
        _lastBlock = new RawBlock(block, raw);
        return raw;
    }

    /// <summary>The block's raw bytes from a stored part, checked for the block's shape.</summary>
    private static byte[] CheckedWords(WordBlock block, byte[] stored)
    {
        var raw = SnapshotCompression.Decompress(stored);
        var table = (block.Count + 1) * 4;
        if (raw.Length < table || BitConverter.ToInt32(raw, 0) != table || BitConverter.ToInt32(raw, block.Count * 4) != raw.Length)
        {
            throw new InvalidDataException("An entry-words part of the wrong shape.");
        }
        for (var k = 0; k < block.Count; k++)
        {
            if (BitConverter.ToInt32(raw, k * 4 + 4) < BitConverter.ToInt32(raw, k * 4)) throw new InvalidDataException("An entry-words part of the wrong shape.");
        }
        return raw;
    }

    /// <summary>Keeps the newest slot's word ids; compresses the open ones into a block once they fill <see cref="SealBytes"/>.</summary>
    private void AddEntryWords(byte[] words)
    {
        _openWords.Add(words);
        _openBytes += words.Length;
        if (_openBytes < SealBytes) return;
        var raw = WordPart(_openWords.Count, k => _openWords[k] ?? []);
        _wordBlocks.Add(new WordBlock(_sealedSlots, _openWords.Count, part: -1) { Stored = SnapshotCompression.Compress(raw, CompressionLevel.Optimal) });
        _sealedSlots += _openWords.Count;
        _openWords.Clear();
        _openBytes = 0;
    }

    /// <summary>Forgets a removed slot's word ids if still uncompressed (a block keeps them until it is rewritten).</summary>
    private void DropEntryWords(int id)
    {
        if (id < _sealedSlots) return;
        _openBytes -= _openWords[id - _sealedSlots]?.Length ?? 0;
        _openWords[id - _sealedSlots] = null;
    }

    /// <summary>Rewrites every block without the word ids of removed entries (with <see cref="Compact"/>).</summary>
    private void CompactEntryWords()
    {
        for (var b = 0; b < _wordBlocks.Count; b++)
        {
            var block = _wordBlocks[b];
            var raw = RawOf(block);
            var kept = WordPart(block.Count, k => _entries[block.First + k] is null ? [] : Slot(raw, k).ToArray());
            _wordBlocks[b] = new WordBlock(block.First, block.Count, part: -1) { Stored = SnapshotCompression.Compress(kept, CompressionLevel.Fastest) };
        }
        _lastBlock = null;
    }

    /// <summary>
    /// The word parts of a snapshot, about <see cref="PartBytes"/> each: consecutive blocks and then the open slots joined
    /// (without removed entries' words), so a snapshot has as many parts whatever the block size.
    /// </summary>
    private List<(int First, int Count, byte[] Raw)> ExportEntryWords()
    {
        var parts = new List<(int, int, byte[])>();
        var slots = new List<byte[]>();
        var first = 0;
        long bytes = 0;
        void Add(int id, ReadOnlySpan<byte> words)
        {
            var kept = _entries[id] is null ? [] : words.ToArray();
            slots.Add(kept);
            bytes += 4 + kept.Length;
            if (bytes < PartBytes) return;
            parts.Add((first, slots.Count, WordPart(slots.Count, k => slots[k])));
            first = id + 1;
            slots.Clear();
            bytes = 0;
        }
        foreach (var block in _wordBlocks)
        {
            var raw = RawOf(block);
            for (var k = 0; k < block.Count; k++) Add(block.First + k, Slot(raw, k));
        }
        for (var k = 0; k < _openWords.Count; k++) Add(_sealedSlots + k, _openWords[k]);
        if (slots.Count > 0) parts.Add((first, slots.Count, WordPart(slots.Count, k => slots[k])));
        return parts;
    }

    /// <summary>The layout of an entry-words part: Count + 1 offsets, then each slot's bytes.</summary>
    private static byte[] WordPart(int count, Func<int, byte[]> words)
    {
        var table = (count + 1) * 4;
        var slots = new byte[count][];
        long length = table;
        for (var k = 0; k < count; k++) length += (slots[k] = words(k)).Length;
        var part = new byte[length];
        var at = table;
        for (var k = 0; k < count; k++)
        {
            BitConverter.TryWriteBytes(part.AsSpan(k * 4), at);
            slots[k].CopyTo(part.AsSpan(at));
            at += slots[k].Length;
        }
        BitConverter.TryWriteBytes(part.AsSpan(count * 4), at);
        return part;
    }

    /// <summary>After a restore: the snapshot's entry-word parts, by first slot, fetched when a removal first needs them.</summary>
    private void RestoreEntryWords(IEnumerable<(int First, int Count, int Part)> parts, int slots)
    {
        _wordBlocks = [.. parts.Select(p => new WordBlock(p.First, p.Count, p.Part))];
        _sealedSlots = slots;
        _openWords.Clear();
        _openBytes = 0;
        _lastBlock = null;
    }

    private WordBlock? RestoredWordBlock(int part) => part < 0 ? null : _wordBlocks.Find(b => b.Part == part);
}
