using ComponentCatalog.Search;

namespace ComponentCatalog.Tests.Search;

/// <summary>
/// The index's snapshot parts (format 3) in memory: a restored index answers exactly as the index it came from, and
/// keeps doing so through later writes (postings restored as shared slices are copied on their first append).
/// </summary>
[TestClass]
public sealed class CatalogIndexSnapshotTests
{
    private static readonly string[] Words = [.. Enumerable.Range(0, 400).Select(i => "word" + (char)('a' + i % 26) + (char)('a' + i / 26 % 26) + "x")];

    /// <summary>Entry <paramref name="i"/>: 150 words from a shared pool (common and rare), a marker word, filters and an edge.</summary>
    private static IndexEntry Entry(int i, int revision = 1, string extra = "")
    {
        var terms = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var k = 0; k < 150; k++) terms[Words[(i * 7 + k * k) % Words.Length]] = 1 + k % 4 * 0.5f;
        terms["marker" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)] = 3;
        if (extra.Length > 0) terms[extra] = 2;
        return new IndexEntry
        {
            Name = $"doc-{i:D5}",
            Title = $"Doc {i}",
            Owner = i % 3 == 0 ? "payments" : "platform",
            Tags = i % 2 == 0 ? ["even", "t" + i % 5] : ["t" + i % 5],
            Lifecycle = (Model.Lifecycle)(i % 3),
            Score = i % 4 == 0 ? null : i % 100,
            Revision = revision,
            UpdatedAt = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(i % 2)),
            ReviewedAt = i % 5 == 0 ? new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero) : null,
            Libraries = i % 2 == 1 ? ["newtonsoft.json"] : [],
            Edges = [new GraphEdge($"doc-{i:D5}", $"doc-{(i + 1) % 4000:D5}", GraphEdge.DependsOn, i % 2 == 0 ? "calls" : null)],
            Terms = terms,
            Length = terms.Values.Sum(),
        };
    }

    private static readonly SearchQuery[] Queries =
    [
        new() { Q = Words[3] },
        new() { Q = Words[3] + " " + Words[40] },
        new() { Q = "wordb" },
        new() { Q = "wordbcy" },
        new() { Q = "marker00042" },
        new() { Q = "fresh" },
        new() { Owner = "payments", Q = Words[11] },
        new() { Tags = ["even"], Lifecycle = Model.Lifecycle.Production },
        new() { DependsOn = "doc-00100" },
        new() { },
    ];

    /// <summary>Every query's whole result (every page of 25, in order), every facet and a graph lookup: what a client can see.</summary>
    private static string Answers(CatalogIndex index)
    {
        var lines = new List<string> { $"count {index.Count}" };
        foreach (var query in Queries)
        {
            var names = new List<string>();
            SearchCursor? after = null;
            do
            {
                var page = index.Search(query, after, 25, DateTimeOffset.MinValue);
                names.AddRange(page.Items.Select(e => $"{e.Name}@{e.Revision}/{e.Owner}/{string.Join('+', e.Tags)}/{e.Lifecycle}/{e.Score}/{e.ReviewedAt:O}/{e.UpdatedAt:O}"));
                after = page.Next;
            }
            while (after is not null);
            lines.Add($"{query.Q}|{query.Owner}|{string.Join(',', query.Tags)}|{query.DependsOn} => {string.Join(',', names)}");
        }
        foreach (var field in new[] { "owner", "tag", "library", "lifecycle" })
        {
            lines.Add(field + ": " + string.Join(',', index.Facet(field).Select(f => $"{f.Value}={f.Count}")));
        }
        lines.Add("referencing doc-00007: " + string.Join(',', index.Referencing("doc-00007").Select(e => e.Name + ":" + e.Edges[0].Relationship)));
        return string.Join('\n', lines);
    }

    /// <summary>
    /// A new index from <paramref name="source"/>'s parts through their stored compression: the eager parts imported,
    /// the others fetched only when a search or write needs them (counted in <paramref name="fetched"/>).
    /// </summary>
    private static CatalogIndex Restored(CatalogIndex source, List<int>? fetched = null)
    {
        var (parts, eager) = source.Export();
        var stored = parts.Select(p => SnapshotCompression.Compress(p)).ToList();
        var restored = new CatalogIndex { PartBytes = source.PartBytes, SealBytes = source.SealBytes };
        restored.Import([.. stored.Take(eager).Select(p => SnapshotCompression.Decompress(p))], stored.Count, part =>
        {
            fetched?.Add(part);
            return stored[part];
        });
        return restored;
    }

    [TestMethod]
    public void Restore_ManyParts_AnswersAsTheOriginal_ThenThroughLaterWrites()
    {
        var original = new CatalogIndex { PartBytes = 64 << 10, SealBytes = 16 << 10 };
        for (var i = 0; i < 4000; i++) original.Upsert(Entry(i));
        for (var i = 0; i < 4000; i += 9) original.Remove($"doc-{i:D5}");
        var (parts, eager) = original.Export();
        Assert.IsGreaterThan(4, parts.Count, "the snapshot spans several postings and entry-word parts");

        var fetched = new List<int>();
        var restored = Restored(original, fetched);
        Assert.AreEqual(parts.Count - eager, restored.MissingParts().Count, "nothing but the eager parts is read up front");
        Assert.IsEmpty(restored.MissingParts(new SearchQuery { Owner = "payments" }), "a filter needs no postings");
        var needed = restored.MissingParts(new SearchQuery { Q = Words[3] });
        Assert.IsNotEmpty(needed, "a word needs its postings part");
        Assert.AreEqual(Answers(original), Answers(restored));
        CollectionAssert.IsSubsetOf(needed.ToList(), fetched, "the search fetched the parts it needed");
        Assert.IsNotEmpty(restored.MissingParts(), "searches read no entry-word part");

        // The same writes on both: new words, edits of restored entries (their postings grow from a shared slice), removals.
        foreach (var index in new[] { original, restored })
        {
            for (var i = 1; i < 4000; i += 13) index.Upsert(Entry(i, revision: 2, extra: "fresh"));
            index.Upsert(Entry(5000, extra: "fresh"));
            // A word added after the restore among restored words of the same prefix: "wordb" completes from both.
            index.Upsert(Entry(5001, extra: "wordbfresh"));
            for (var i = 2; i < 4000; i += 17) index.Remove($"doc-{i:D5}");
        }
        Assert.AreEqual(Answers(original), Answers(restored));
        StringAssert.Contains(Answers(restored), "doc-05000@1");
        StringAssert.Contains(Answers(restored).Split('\n').Single(line => line.StartsWith("wordb|", StringComparison.Ordinal)), "doc-05001@1",
            "the prefix completes to the word added since the restore");

        // And a restore of the restored index, after those writes.
        Assert.AreEqual(Answers(original), Answers(Restored(restored)));
    }

    [TestMethod]
    public void EntryWords_InCompressedBlocks_AnswerAsPlainBytes_ThroughRemovalsCompactionAndRestore()
    {
        var blocks = new CatalogIndex { SealBytes = 4 << 10, CompactAfterStaleSlots = 20_000 };
        var plain = new CatalogIndex { SealBytes = int.MaxValue, CompactAfterStaleSlots = long.MaxValue };
        foreach (var index in new[] { blocks, plain })
        {
            for (var i = 0; i < 2000; i++) index.Upsert(Entry(i));
            // Replacements and removals read the old words back out of compressed blocks; past half stale, `blocks` compacts.
            for (var i = 0; i < 2000; i += 3) index.Upsert(Entry(i, revision: 2, extra: "fresh"));
            for (var i = 0; i < 2000; i++)
            {
                if (i % 4 is 1 or 2) index.Remove($"doc-{i:D5}");
            }
        }
        Assert.AreEqual(Answers(plain), Answers(blocks));

        // After the compaction rewrote the blocks: more writes, then a restore of each.
        foreach (var index in new[] { blocks, plain })
        {
            for (var i = 3; i < 2000; i += 8) index.Remove($"doc-{i:D5}");
            for (var i = 0; i < 2000; i += 12) index.Upsert(Entry(i, revision: 3));
        }
        Assert.AreEqual(Answers(plain), Answers(blocks));
        var restored = Restored(blocks);
        Assert.AreEqual(Answers(plain), Answers(restored));
        for (var i = 0; i < 2000; i += 24) restored.Remove($"doc-{i:D5}");
        for (var i = 0; i < 2000; i += 24) plain.Remove($"doc-{i:D5}");
        Assert.AreEqual(Answers(plain), Answers(restored));
    }

    [TestMethod]
    public void Import_DamagedOrForeignParts_ThrowsInvalidData_AndLeavesTheIndexAsItWas()
    {
        var source = new CatalogIndex();
        for (var i = 0; i < 50; i++) source.Upsert(Entry(i));
        var target = new CatalogIndex();
        target.Upsert(Entry(7));
        var before = Answers(target);

        var (parts, eager) = source.Export();
        Assert.AreEqual(2, eager, "the head and one entries part");
        var truncated = parts.Take(eager).Select(p => p.ToArray()).ToList();
        truncated[^1] = truncated[^1][..^3];
        var foreign = parts.Take(eager).Select(p => p.ToArray()).ToList();
        foreign[0][0] ^= 0x7F;

        Assert.ThrowsExactly<InvalidDataException>(() => target.Import(truncated, parts.Count, p => parts[p]));
        Assert.ThrowsExactly<InvalidDataException>(() => target.Import(foreign, parts.Count, p => parts[p]));
        Assert.ThrowsExactly<InvalidDataException>(() => target.Import(parts.Take(eager - 1).ToList(), parts.Count, p => parts[p]));
        Assert.ThrowsExactly<InvalidDataException>(() => target.Import(parts.Take(eager).ToList(), parts.Count + 1, p => parts[p]));
        Assert.ThrowsExactly<InvalidDataException>(() => SnapshotCompression.Decompress(SnapshotCompression.Compress(parts[0])[..^4]));
        Assert.AreEqual(before, Answers(target));

        // A lazy part (as stored: compressed) of the wrong length or shape is refused when it arrives.
        var stored = parts.Select(p => SnapshotCompression.Compress(p)).ToList();
        target.Import(parts.Take(eager).ToList(), parts.Count, p => stored[p]);
        foreach (var lazy in target.MissingParts())
        {
            Assert.ThrowsExactly<InvalidDataException>(() => target.AddPart(lazy, stored[lazy][..(stored[lazy].Length / 2)]), $"part {lazy} cut in half");
            Assert.ThrowsExactly<InvalidDataException>(() => target.AddPart(lazy, SnapshotCompression.Compress(parts[lazy][..^1])), $"part {lazy} one byte short");
        }
        Assert.ThrowsExactly<InvalidDataException>(() => target.AddPart(0, stored[0]), "an eager part is not added later");
    }

    [TestMethod]
    public void Ranked_PagesOfTopK_EqualOneSortOfEveryHit()
    {
        var index = new CatalogIndex();
        for (var i = 0; i < 3000; i++) index.Upsert(Entry(i));
        var query = new SearchQuery { Q = Words[5] + " wordc" };
        var all = index.Search(query, null, 100_000, DateTimeOffset.MinValue).Items.Select(e => e.Name).ToList();
        Assert.IsGreaterThan(200, all.Count, "a query with many hits");
        var paged = new List<string>();
        SearchCursor? after = null;
        do
        {
            var page = index.Search(query, after, 7, DateTimeOffset.MinValue);
            paged.AddRange(page.Items.Select(e => e.Name));
            after = page.Next;
        }
        while (after is not null);
        CollectionAssert.AreEqual(all, paged);
    }
    /// <summary>
    /// A posting is one varint when its weight is 0.5–3.5 and a second one otherwise (weights 0, 4 and more), with id gaps
    /// of one byte and of several: every weight and gap decodes exactly, built, restored and compacted. With equal
    /// lengths BM25 grows with the weight, so the ranking is the weights' order, then the names'.
    /// </summary>
    [TestMethod]
    public void Postings_KeepEveryWeightAndIdGap_ThroughARestoreAndACompaction()
    {
        float[] weights = [0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4, 4.5f, 7.5f, 50, 1000, 0];
        int[] gaps = [1, 2, 15, 16, 17, 127, 128, 1000, 3];
        var index = new CatalogIndex { CompactAfterStaleSlots = 10 };
        var expected = new List<(float Weight, string Name)>();
        var slot = 0;
        for (var k = 0; k < 40; k++)
        {
            var gap = gaps[k % gaps.Length];
            for (var filler = 1; filler < gap; filler++) index.Upsert(Gauge($"filler-{slot++:D6}", null));
            var name = $"gauge-{slot++:D6}";
            index.Upsert(Gauge(name, weights[k % weights.Length]));
            expected.Add((weights[k % weights.Length], name));
        }
        var order = expected.OrderByDescending(e => e.Weight).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Name).ToList();

        CollectionAssert.AreEqual(order, Ranked(index), "as built");
        var restored = Restored(index);
        CollectionAssert.AreEqual(order, Ranked(restored), "restored from a snapshot");
        // Removing every filler (far past half the postings stale) compacts: the kept postings are re-encoded.
        foreach (var i in Enumerable.Range(0, slot)) restored.Remove($"filler-{i:D6}");
        CollectionAssert.AreEqual(order, Ranked(restored), "after a compaction");

        static IndexEntry Gauge(string name, float? weight) => new()
        {
            Name = name,
            Terms = weight is { } w ? new Dictionary<string, float> { ["gauge"] = w, ["pad"] = 1 } : new Dictionary<string, float> { ["pad"] = 1 },
            Length = 1_000,
        };

        static List<string> Ranked(CatalogIndex index) =>
            [.. index.Search(new SearchQuery { Q = "gauge" }, null, 1_000, DateTimeOffset.MinValue).Items.Select(e => e.Name)];
    }
    /// <summary>
    /// Referrers are kept as an ascending list per name: an entry with two edges to one name is one referrer, a removal
    /// takes it out from the middle, and a restored index answers alike.
    /// </summary>
    [TestMethod]
    public void Referrers_TwoEdgesToOneName_CountOnce_AndLeaveOnRemoval_BuiltAndRestored()
    {
        var index = new CatalogIndex();
        for (var i = 0; i < 5; i++)
        {
            index.Upsert(new IndexEntry
            {
                Name = $"caller-{i}",
                Edges = [new GraphEdge($"caller-{i}", "hub", GraphEdge.DependsOn, null), new GraphEdge($"caller-{i}", "hub", GraphEdge.Related, "peer")],
            });
        }
        foreach (var target in new[] { index, Restored(index) })
        {
            CollectionAssert.AreEqual(new[] { "caller-0", "caller-1", "caller-2", "caller-3", "caller-4" }, target.Referencing("hub").Select(e => e.Name).ToArray());
            target.Remove("caller-2");
            target.Upsert(new IndexEntry { Name = "caller-1", Revision = 2 });
            CollectionAssert.AreEqual(new[] { "caller-0", "caller-3", "caller-4" }, target.Referencing("hub").Select(e => e.Name).ToArray());
            CollectionAssert.AreEqual(new[] { "caller-0", "caller-3", "caller-4" },
                target.Search(new SearchQuery { DependsOn = "hub" }, null, 10, DateTimeOffset.MinValue).Items.Select(e => e.Name).ToArray());
            foreach (var name in new[] { "caller-0", "caller-3", "caller-4" }) target.Remove(name);
            Assert.IsEmpty(target.Referencing("hub"));
            Assert.IsEmpty(target.Search(new SearchQuery { DependsOn = "hub" }, null, 10, DateTimeOffset.MinValue).Items);
        }
    }
}
