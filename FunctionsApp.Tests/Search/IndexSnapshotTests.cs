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
}
