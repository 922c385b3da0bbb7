using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Search;

/// <summary>A new instance starts from the stored index snapshot and the change log after it, or scans when it cannot.</summary>
[TestClass]
public sealed class IndexSnapshotTests
{
    private static readonly SearchQuery[] Queries =
    [
        new() { Q = "ledger" },
        new() { Q = "ledger reconcile" },
        new() { Q = "led" },
        new() { Q = "ledgre" },
        new() { Owner = "payments" },
        new() { Tags = ["late"] },
        new() { },
    ];

    private static async Task<CatalogUnderTest> SeedAsync()
    {
        var sut = TestStorage.CreateCatalog();
        for (var i = 0; i < 12; i++)
        {
            await sut.Catalog.CreateAsync(Documents.Minimal($"Doc {i:D2}") with { Description = i % 3 == 0 ? "ledger reconcile nightly" : $"ledger entry {i}" }, Users.Payments);
        }
        return sut;
    }

    private static async Task<string> ResultsAsync(ComponentSearch search)
    {
        var lines = new List<string>();
        foreach (var query in Queries)
        {
            var (items, _) = await search.SearchAsync(query, null, 50);
            lines.Add($"{query.Q}|{query.Owner}|{string.Join(',', query.Tags)} => {string.Join(',', items.Select(i => $"{i.Name}@{i.Revision}"))}");
        }
        foreach (var field in new[] { "owner", "tag" })
        {
            lines.Add(field + ": " + string.Join(',', (await search.FacetAsync(field)).Select(f => $"{f.Value}={f.Count}")));
        }
        return string.Join('\n', lines);
    }

    [TestMethod]
    public async Task FreshInstance_AfterSnapshotAndLaterWrites_SeesWhatAFullScanSees()
    {
        var sut = await SeedAsync();
        Assert.IsGreaterThan(0, await sut.Search.WriteSnapshotAsync());

        // Writes after the snapshot: a create, an edit, a delete, each a minute apart.
        sut.Clock.Advance(TimeSpan.FromMinutes(1));
        await sut.Catalog.CreateAsync(Documents.Minimal("Late Ledger") with { Tags = new[] { "late" }.ToEquatableList() }, Users.Payments);
        sut.Clock.Advance(TimeSpan.FromMinutes(1));
        await sut.Catalog.PutAsync("doc-01", Documents.Minimal("Doc 01") with { Description = "no longer about money" }, new("*", null), Users.Payments);
        sut.Clock.Advance(TimeSpan.FromMinutes(1));
        await sut.Catalog.DeleteAsync("doc-03", Preconditions.None, Users.Payments);
        sut.Clock.Advance(TimeSpan.FromMinutes(1));

        var fromSnapshot = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        var snapshotResults = await ResultsAsync(fromSnapshot);
        Assert.IsTrue(fromSnapshot.LoadedFromSnapshot, "the new instance started from the snapshot");

        await sut.Tables.Components.DeleteEntityAsync(IndexStore.SnapshotPartition, "current");
        var scanned = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        var scanResults = await ResultsAsync(scanned);
        Assert.IsFalse(scanned.LoadedFromSnapshot, "without a snapshot the instance scans");

        Assert.AreEqual(scanResults, snapshotResults);
        StringAssert.Contains(snapshotResults, "late-ledger@1");
        Assert.DoesNotContain("doc-03@", snapshotResults);
        Assert.AreEqual(await ResultsAsync(sut.Search), snapshotResults, "the writing instance agrees");
    }

    [TestMethod]
    public async Task DamagedSnapshot_FallsBackToTheScan()
    {
        var sut = await SeedAsync();
        await sut.Search.WriteSnapshotAsync();
        var chunk = sut.Tables.Components.Query<TableEntity>(e => e.PartitionKey == IndexStore.SnapshotPartition && e.RowKey != "current").Single();
        var data = chunk.GetBinary("D0")!;
        data[data.Length / 2] ^= 0xFF;
        chunk["D0"] = data;
        await sut.Tables.Components.UpsertEntityAsync(chunk, TableUpdateMode.Replace);

        var fresh = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        var results = await ResultsAsync(fresh);

        Assert.IsFalse(fresh.LoadedFromSnapshot, "a damaged snapshot is not used");
        Assert.AreEqual(await ResultsAsync(sut.Search), results);
    }

    [TestMethod]
    public async Task SnapshotOfAnotherFormatOrTooOld_IsIgnored()
    {
        var sut = await SeedAsync();
        await sut.Search.WriteSnapshotAsync();
        sut.Clock.Advance(TimeSpan.FromHours(3));
        var late = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        Assert.HasCount(12, (await late.SearchAsync(new SearchQuery(), null, 50)).Items);
        Assert.IsFalse(late.LoadedFromSnapshot, "a snapshot older than the log's catch-up bound is not used");

        await sut.Search.WriteSnapshotAsync();
        var pointer = (await sut.Tables.Components.GetEntityAsync<TableEntity>(IndexStore.SnapshotPartition, "current")).Value;
        pointer["Format"] = CatalogIndex.SnapshotFormat + 1;
        await sut.Tables.Components.UpsertEntityAsync(pointer, TableUpdateMode.Replace);
        var other = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        Assert.HasCount(12, (await other.SearchAsync(new SearchQuery(), null, 50)).Items);
        Assert.IsFalse(other.LoadedFromSnapshot, "a snapshot of another format is not used");
    }
    [TestMethod]
    public async Task StoredParts_AcrossChunkRows_ReadBackEachAlone_AndRowsWithoutAPointerAreNoSnapshot()
    {
        var sut = TestStorage.CreateCatalog();
        var store = new IndexStore(sut.Tables);
        Assert.IsNull(await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat, _ => true), "no snapshot yet");
        // A writer that died after writing its chunk rows, before its pointer (the commit point).
        await sut.Tables.Components.UpsertEntityAsync(new TableEntity(IndexStore.SnapshotPartition, "deadbeef.000000") { ["D0"] = new byte[] { 1, 2, 3 } });
        Assert.IsNull(await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat, _ => true), "chunk rows without a pointer are no snapshot");

        var random = new Random(5);
        var parts = new[] { 100_000, 900_000, 0, 50_000, 700_000 }.Select(n =>
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return bytes;
        }).ToList();
        var covers = sut.Clock.GetUtcNow();
        await store.WriteSnapshotAsync(parts, eager: 2, covers, CatalogIndex.SnapshotFormat);

        Assert.IsNull(await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat + 1, _ => true), "another format is not read");
        Assert.IsNull(await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat, _ => false), "a snapshot the caller cannot use is not read");
        var snapshot = await store.OpenSnapshotAsync(CatalogIndex.SnapshotFormat, c => c == covers);
        Assert.IsNotNull(snapshot);
        Assert.AreEqual(5, snapshot.Parts);
        Assert.AreEqual(2, snapshot.Eager);
        foreach (var part in new[] { 4, 1, 3, 0, 2 })
        {
            CollectionAssert.AreEqual(parts[part], await snapshot.ReadPartAsync(part), $"part {part}");
        }
        var rows = sut.Tables.Components.Query<TableEntity>(e => e.PartitionKey == IndexStore.SnapshotPartition).Select(e => e.RowKey).ToList();
        Assert.HasCount(4, rows, "the pointer and three chunk rows of 640,000 bytes for 1,750,000 bytes: " + string.Join(',', rows));
        Assert.DoesNotContain("deadbeef.000000", rows, "the next snapshot deletes rows no pointer names");
    }

    [TestMethod]
    public async Task DamagedLazyPart_FoundAfterTheFirstAnswer_IndexIsRebuiltByAScan()
    {
        var sut = await SeedAsync();
        await sut.Search.WriteSnapshotAsync();
        // The last bytes belong to the last part: entry word ids, read in the background after the first answer.
        var chunk = sut.Tables.Components.Query<TableEntity>(e => e.PartitionKey == IndexStore.SnapshotPartition && e.RowKey != "current").Single();
        var last = chunk.Keys.Where(k => k.StartsWith('D')).OrderBy(k => int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture)).Last();
        var data = chunk.GetBinary(last)!;
        data[^1] ^= 0xFF;
        chunk[last] = data;
        await sut.Tables.Components.UpsertEntityAsync(chunk, TableUpdateMode.Replace);

        var fresh = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        Assert.HasCount(12, (await fresh.SearchAsync(new SearchQuery(), null, 50)).Items);
        Assert.IsTrue(fresh.LoadedFromSnapshot, "the eager parts were sound: the first answer came from the snapshot");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (fresh.LoadedFromSnapshot && DateTime.UtcNow < deadline)
        {
            await fresh.SearchAsync(new SearchQuery { Q = "ledger" }, null, 50);
            await Task.Delay(50);
        }
        Assert.IsFalse(fresh.LoadedFromSnapshot, "within 20 s the damaged part was found and the index rebuilt by a scan");
        Assert.AreEqual(await ResultsAsync(sut.Search), await ResultsAsync(fresh));
    }
}
