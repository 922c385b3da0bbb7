using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Search;

/// <summary>Every word of every section is searchable, as typed, as a prefix of the last word, or with one typo.</summary>
[TestClass]
public sealed class EveryWordSearchTests
{
    private static readonly string[] Placed =
    [
        "notesprose", "perfprose", "securityprose", "dependencyprose", "extrabody", "relatedprose", "middleword", "codeword", "knownissue",
    ];

    [TestMethod]
    public async Task Search_LongDocument_WordAppearingOnceAnywhereIsFound()
    {
        var sut = TestStorage.CreateCatalog();
        var filler = Filler(50_000, seed: 3);
        var half = filler.Length / 2;
        var document = Documents.Full() with
        {
            Notes = new NotesSection { ImplementationDetails = filler[..half] + " middleword " + filler[half..], KnownIssues = "A knownissue here.", Text = "Free notesprose text." },
            Performance = new PerformanceSection { Text = "Measured perfprose only." },
            Security = new SecuritySection { Text = "Some securityprose words." },
            Dependencies = Documents.Full().Dependencies! with { Text = "Why: dependencyprose." },
            ExtraSections = new[] { new ExtraSection("Runbook", "Steps with extrabody inside.") }.ToEquatableList(),
            RelatedComponentsText = "See relatedprose.",
            UsageExample = new ContentSection { Code = new[] { new CodeBlock("csharp", "var x = codeword();") }.ToEquatableList() },
        };
        Assert.IsGreaterThan(50_000, Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(document, CatalogJson.Options)));

        await sut.Catalog.CreateAsync(document, Users.Payments);
        var fresh = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);

        foreach (var word in Placed)
        {
            var (items, _) = await fresh.SearchAsync(new SearchQuery { Q = word }, null, 10);
            Assert.AreEqual("payments-api", items.SingleOrDefault()?.Name, $"'{word}' appears once in the document and must be found");
        }
        var stored = await StoredEntryAsync(sut, "payments-api");
        Assert.AreEqual(IndexEntry.From(document with { Name = "payments-api" }).Terms.Count, stored.Terms.Count, "every word is kept on the head");
    }

    [TestMethod]
    public void EncodeEntry_FiftyKilobytesOfDistinctWords_FitsWithEveryWord()
    {
        var document = Documents.Minimal() with { Name = "payments-api", Notes = new NotesSection { Text = Filler(50_000, seed: 9) } };
        var entry = IndexEntry.From(document);

        var bytes = IndexStore.EncodeEntry(entry);

        Assert.IsLessThanOrEqualTo(64_000, bytes.Length);
        Assert.AreEqual(entry.Terms.Count, Decode(bytes).Terms.Count);
        Assert.IsGreaterThan(3_000, entry.Terms.Count, "the filler has thousands of distinct words");
    }

    [TestMethod]
    public async Task Search_LastWordPrefix_FindsCompletions()
    {
        var sut = TestStorage.CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await sut.Catalog.CreateAsync(Documents.Minimal("Ledger", "payments") with { Description = "Books every movement." }, Users.Payments);

        var prefix = await Names(sut, "paym");
        var twoWords = await Names(sut, "card paym");
        var notLast = await Names(sut, "paym card");

        CollectionAssert.AreEqual(new[] { "payments-api" }, prefix);
        CollectionAssert.AreEqual(new[] { "payments-api" }, twoWords);
        Assert.IsEmpty(notLast, "only the last word is a prefix");
    }

    [TestMethod]
    public async Task Search_OneTypo_FindsLongWordsRankedBelowExact()
    {
        var sut = TestStorage.CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal("Exact") with { Description = "Handles settlement." }, Users.Payments);
        await sut.Catalog.CreateAsync(Documents.Minimal("Misspelt") with { Description = "settlemnt settlemnt settlemnt, the settlemnt service." }, Users.Payments);
        await sut.Catalog.CreateAsync(Documents.Minimal("Far") with { Description = "Handles setlemnt." }, Users.Payments);

        var found = await Names(sut, "settlement");
        var shortWord = await Names(sut, "cord");

        CollectionAssert.AreEqual(new[] { "exact", "misspelt" }, found, "exact first, one edit next, two edits not at all");
        Assert.IsEmpty(shortWord, "words under 5 letters need to match as typed (card ≠ cord)");
    }

    [TestMethod]
    [DataRow("settlement", "settlemnt", true)]
    [DataRow("settlement", "settlemetn", true)]
    [DataRow("settlement", "settlementx", true)]
    [DataRow("settlement", "sattlement", true)]
    [DataRow("settlement", "setlemnt", false)]
    [DataRow("settlement", "settlement", false)]
    [DataRow("settlement", "tesltement", false)]
    public void OneEditApart_Cases(string a, string b, bool expected) =>
        Assert.AreEqual(expected, CatalogIndex.OneEditApart(a, b));

    private static async Task<List<string>> Names(CatalogUnderTest sut, string q) =>
        [.. (await sut.Search.SearchAsync(new SearchQuery { Q = q }, null, 50)).Items.Select(i => i.Name)];

    private static async Task<IndexEntry> StoredEntryAsync(CatalogUnderTest sut, string name)
    {
        var head = await sut.Tables.Components.GetEntityAsync<Azure.Data.Tables.TableEntity>(name, "head");
        return Decode(head.Value.GetBinary("Summary"));
    }

    private static IndexEntry Decode(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<IndexEntry>(input, CatalogJson.Options)!;
    }

    /// <summary>Distinct random lowercase words (no English, so nothing repeats): the worst case for the entry's size.</summary>
    private static string Filler(int bytes, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(bytes + 16);
        while (text.Length < bytes)
        {
            for (var i = random.Next(5, 10); i > 0; i--) text.Append((char)('a' + random.Next(26)));
            text.Append(' ');
        }
        return text.ToString();
    }
}
