using System.Net;
using Azure;
using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Functions;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.Maintenance;

/// <summary>Each job's effect on a prepared catalog in Azurite, with a controllable clock.</summary>
[TestClass]
public sealed class MaintenanceJobsTests
{
    private CatalogUnderTest _sut = null!;
    private JobStore _jobStore = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _jobStore = new JobStore(_sut.Tables);
    }

    private MaintenanceJobs Jobs(int maxItems = 10_000, ComponentSearch? search = null) => new(
        _jobStore, _sut.Store, _sut.Catalog, search ?? _sut.Search, _sut.Clock, _sut.Options,
        new MaintenanceOptions { MaxItemsPerRun = maxItems, LeaseSeconds = 300 }, NullLogger<MaintenanceJobs>.Instance);

    private async Task CreateAsync(params string[] titles)
    {
        foreach (var title in titles) await _sut.Catalog.CreateAsync(Documents.Minimal(title), Users.Payments);
    }

    private async Task<List<string>> ReportKeys(string report) =>
        (await _jobStore.ReadLastRunReportAsync(report == "stale" ? MaintenanceJobs.StaleSweep : MaintenanceJobs.DanglingCheck, report)).Items.Select(r => r.Key).ToList();

    [TestMethod]
    public async Task StaleSweep_ReportsOnlyOldDocuments_WithLastRun()
    {
        await CreateAsync("Old One", "Old Two");
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));
        await CreateAsync("New One");

        var outcome = await Jobs().RunStaleSweepAsync();

        Assert.AreEqual("completed", outcome.Status);
        CollectionAssert.AreEqual(new[] { "old-one", "old-two" }, await ReportKeys("stale"));
        var last = await _jobStore.GetLastAsync(MaintenanceJobs.StaleSweep);
        Assert.AreEqual(3, last!.Counts["checked"]);
        Assert.AreEqual(2, last.Counts["stale"]);
        Assert.IsNotNull(last.FinishedAt);
    }

    [TestMethod]
    public async Task StaleSweep_DocumentUpdated_DropsOutOnNextRun()
    {
        await CreateAsync("Old One", "Old Two");
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));
        await Jobs().RunStaleSweepAsync();

        await _sut.Catalog.PutAsync("old-one", Documents.Minimal("Old One") with { Description = "touched" }, new("*", null), Users.Payments);
        await Jobs().RunStaleSweepAsync();

        CollectionAssert.AreEqual(new[] { "old-two" }, await ReportKeys("stale"));
    }

    [TestMethod]
    public async Task StaleSweep_TwoConcurrentRuns_SameResultAsOne()
    {
        await CreateAsync("A1", "A2", "A3", "A4");
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));

        var outcomes = await Task.WhenAll(Jobs().RunStaleSweepAsync(), Jobs().RunStaleSweepAsync());

        Assert.IsTrue(outcomes.Any(o => o.Status == "completed"));
        CollectionAssert.AreEqual(new[] { "a1", "a2", "a3", "a4" }, await ReportKeys("stale"));
        var last = await _jobStore.GetLastAsync(MaintenanceJobs.StaleSweep);
        Assert.AreEqual(4, last!.Counts["stale"], "counted once, not twice");
    }

    [TestMethod]
    public async Task StaleSweep_BoundedRuns_ContinueFromCheckpointWithoutDuplicates()
    {
        await CreateAsync("B1", "B2", "B3", "B4", "B5");
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));

        var first = await Jobs(maxItems: 2).RunStaleSweepAsync();
        var checkpoint = await _jobStore.GetCheckpointAsync(MaintenanceJobs.StaleSweep);
        var second = await Jobs(maxItems: 2).RunStaleSweepAsync();
        var third = await Jobs(maxItems: 2).RunStaleSweepAsync();

        Assert.AreEqual("partial", first.Status);
        Assert.AreEqual("b2", checkpoint!.Cursor);
        Assert.AreEqual("partial", second.Status);
        Assert.AreEqual("completed", third.Status);
        Assert.AreEqual(5, third.Run!.Counts["checked"]);
        Assert.AreEqual(first.Run!.RunId, third.Run.RunId, "one run across restarts");
        CollectionAssert.AreEqual(new[] { "b1", "b2", "b3", "b4", "b5" }, await ReportKeys("stale"));
        Assert.IsNull(await _jobStore.GetCheckpointAsync(MaintenanceJobs.StaleSweep));
    }

    [TestMethod]
    public async Task Run_LeaseOfCrashedInstance_BlocksUntilExpiry()
    {
        await CreateAsync("C1");
        await _jobStore.TryAcquireLeaseAsync(MaintenanceJobs.DanglingCheck, "crashed-instance", _sut.Clock.GetUtcNow(), TimeSpan.FromSeconds(300));

        var blocked = await Jobs().RunDanglingCheckAsync();
        _sut.Clock.Advance(TimeSpan.FromSeconds(301));
        var resumed = await Jobs().RunDanglingCheckAsync();

        Assert.AreEqual("skipped", blocked.Status);
        Assert.AreEqual("completed", resumed.Status);
    }

    [TestMethod]
    public async Task DanglingCheck_ReportsMissingTargets_AndClearsWhenCreated()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Orders") with
        {
            Dependencies = new DependenciesSection { InternalModules = new[] { new NamedItem("inventory", "stock"), new NamedItem("orders-db", "rows") }.ToEquatableList() },
            RelatedComponents = new[] { new RelatedComponent("Shipping", "notifies") }.ToEquatableList(),
        }, Users.Payments);
        await CreateAsync("Orders DB");

        await Jobs().RunDanglingCheckAsync();
        var before = await ReportKeys("dangling");
        await CreateAsync("Inventory");
        await Jobs().RunDanglingCheckAsync();
        var after = await ReportKeys("dangling");

        CollectionAssert.AreEqual(new[] { "orders|inventory", "orders|shipping" }, before);
        CollectionAssert.AreEqual(new[] { "orders|shipping" }, after);
    }

    [TestMethod]
    public async Task Purge_RemovesExactlyExpiredSoftDeleted_WithAllTheirRows()
    {
        await CreateAsync("Expired", "Recent", "Live");
        await _sut.Catalog.PutAsync("expired", Documents.Minimal("Expired") with { Description = "v2" }, new("*", null), Users.Payments);
        await _sut.Catalog.DeleteAsync("expired", Preconditions.None, Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.DeletedRetentionDays - 5));
        await _sut.Catalog.DeleteAsync("recent", Preconditions.None, Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(10));

        var outcome = await Jobs().RunPurgeAsync();

        Assert.AreEqual(1, outcome.Run!.Counts["purged"]);
        var expiredRows = await _sut.Tables.Components.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"expired"}")).ToListAsync();
        Assert.IsEmpty(expiredRows, "head, revisions and chunks gone");
        Assert.IsNull(await new IndexStore(_sut.Tables).GetAsync("expired"), "index entry gone with the head");
        Assert.AreEqual("recent", (await _sut.Catalog.RestoreAsync("recent", Users.Payments)).Document.Name);
        Assert.AreEqual("live", (await _sut.Catalog.GetAsync("live")).Document.Name);
        var created = await _sut.Catalog.CreateAsync(Documents.Minimal("Expired"), Users.Payments);
        Assert.AreEqual(1, created.Document.Revision, "the name starts a fresh history");
    }

    [TestMethod]
    public async Task Purge_RestoredBeforePurge_IsNotTouched()
    {
        await CreateAsync("Saved");
        await _sut.Catalog.DeleteAsync("saved", Preconditions.None, Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.DeletedRetentionDays + 1));
        var stale = (await _sut.Store.ListHeadsAsync(null, 10, deletedOnly: true)).Single();
        await _sut.Catalog.RestoreAsync("saved", Users.Payments);

        var purged = await _sut.Store.PurgeAsync(stale);

        Assert.IsFalse(purged);
        Assert.AreEqual("saved", (await _sut.Catalog.GetAsync("saved")).Document.Name);
    }

    [TestMethod]
    public async Task Purge_CrashAfterMarking_NextRunFinishes()
    {
        await CreateAsync("Half");
        await _sut.Catalog.DeleteAsync("half", Preconditions.None, Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.DeletedRetentionDays + 1));
        var head = (await _sut.Store.ListHeadsAsync(null, 10, deletedOnly: true)).Single();
        await _sut.Tables.Components.UpdateEntityAsync(new TableEntity("half", "head") { ["Purging"] = true }, new ETag(head.Version), TableUpdateMode.Merge);

        await Assert.ThrowsExactlyAsync<ComponentCatalog.Errors.NotFoundException>(() => _sut.Catalog.RestoreAsync("half", Users.Payments));
        var outcome = await Jobs().RunPurgeAsync();

        Assert.AreEqual(1, outcome.Run!.Counts["purged"]);
        Assert.IsEmpty(await _sut.Tables.Components.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"half"}")).ToListAsync());
    }

    [TestMethod]
    public async Task ReconcileIndex_RebuildsMissingAndStaleSummaries()
    {
        await CreateAsync("Kept", "Lost");
        var head = (await _sut.Tables.Components.GetEntityAsync<TableEntity>("lost", "head")).Value;
        head.Remove("Summary");
        await _sut.Tables.Components.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace);
        var fresh = TestStorage.NewSearch(_sut.Tables, _sut.Clock, _sut.Options);
        Assert.IsNull((await new IndexStore(_sut.Tables).GetAsync("lost"))!.Entry, "a head written without its index entry");

        var outcome = await Jobs(search: fresh).RunReconcileIndexAsync();

        Assert.AreEqual(1, outcome.Run!.Counts["repaired"]);
        Assert.AreEqual("lost", (await new IndexStore(_sut.Tables).GetAsync("lost"))!.Entry!.Name);
        Assert.IsTrue((await fresh.CurrentEntriesAsync()).Any(e => e.Name == "lost"));
    }

    [TestMethod]
    public async Task QualitySnapshot_WritesTodaysTrendLine()
    {
        await CreateAsync("Q1");

        var outcome = await Jobs().RunQualitySnapshotAsync();

        Assert.AreEqual("completed", outcome.Status);
        var trend = await _jobStore.ReadSeriesAsync("quality-trend");
        Assert.AreEqual("2026-11-01", trend.Single().Key);
        Assert.AreEqual("2026-11-01", trend.Single().Data.GetProperty("day").GetString());
    }

    [TestMethod]
    public async Task ReportFunction_ShowsItemsAndLastRun()
    {
        await CreateAsync("Old");
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));
        await Jobs().RunStaleSweepAsync();
        var functions = new ReportsFunctions(new CatalogReports(_jobStore));
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/reports/stale");

        var reply = await Reply.From(() => functions.Stale(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.AreEqual("old", reply.Json["items"]![0]!["name"]!.GetValue<string>());
        Assert.AreEqual(1, reply.Json["lastRun"]!["counts"]!["stale"]!.GetValue<int>());
        Assert.IsNotNull(reply.Json["lastRun"]!["durationMs"]);
    }
}
