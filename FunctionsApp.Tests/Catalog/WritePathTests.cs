using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.Catalog;

/// <summary>
/// The write path's guarantees (docs/adr/0006-write-path.md): everything that can refuse a write is decided
/// before storage is touched, one scoring rule for every route, a committed revision and its index entry are
/// inseparable, a cold index loads once, and reports show one finished run.
/// </summary>
[TestClass]
public sealed class WritePathTests
{
    private const string ValidBody = """{"title":"Payments API","owner":"payments","description":"Takes card payments for the shop and refunds them."}""";

    private static readonly string PlaceholderMarkdown = """
        ---
        owner: payments
        ---
        ## Component Name
        Ledger Writer

        ## File Location
        `backend/ledger-writer`

        ## Description
        Writes every payment the shop takes into the ledger, refunds included, once.

        ## Caching
        - Cache Keys: [Purpose]
        """;

    private CatalogUnderTest _sut = null!;
    private ComponentsFunctions _components = null!;
    private QualityFunctions _quality = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        var markdown = new MarkdownTemplate();
        _components = new ComponentsFunctions(_sut.Catalog, _sut.Options, markdown);
        _quality = new QualityFunctions(_sut.Catalog, new CatalogLint(markdown, _sut.Quality), new ComponentImport(_sut.Catalog, _sut.Projection, markdown, _sut.Options), _sut.Options);
    }

    [TestMethod]
    public async Task Put_AcceptNotServed_Returns406AndStoresNothing()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "PUT", "/api/components/payments-api", ValidBody, "application/json")
            .WithHeader("If-Match", "\"1\"").WithHeader("Accept", "image/png");

        var reply = await Reply.From(() => _components.Put(req, "payments-api", context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.NotAcceptable, reply.Status, reply.Body);
        var head = await _sut.Store.GetHeadAsync("payments-api");
        Assert.AreEqual(1, head!.Revision, "no revision stored for a request that was refused");
        Assert.HasCount(1, await _sut.Store.ListRevisionsAsync("payments-api"));
    }

    [TestMethod]
    public async Task Post_AcceptNotServed_Returns406AndCreatesNothing()
    {
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "POST", "/api/components", ValidBody, "application/json").WithHeader("Accept", "image/png");

        var reply = await Reply.From(() => _components.Create(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.NotAcceptable, reply.Status, reply.Body);
        Assert.IsNull(await _sut.Store.GetHeadAsync("payments-api"));
    }

    [TestMethod]
    public async Task SameMarkdown_PutImportValidate_GiveOneScore()
    {
        var context = FakeContext.As(Users.Payments);
        var put = new FakeRequest(context, "PUT", "/api/components/ledger-writer", PlaceholderMarkdown, "text/markdown");
        var validate = new FakeRequest(context, "POST", "/api/validate", PlaceholderMarkdown, "text/markdown");
        var import = new FakeRequest(context, "POST", "/api/import",
            JsonSerializer.Serialize(new { documents = new[] { new { path = "ledger.md", markdown = PlaceholderMarkdown.Replace("Ledger Writer", "Ledger Copy").Replace("ledger-writer", "ledger-copy") } } }),
            "application/json");

        var putReply = await Reply.From(() => _components.Put(put, "ledger-writer", context, CancellationToken.None), put);
        var validateReply = await Reply.From(() => _quality.Validate(validate, context, CancellationToken.None), validate);
        var importReply = await Reply.From(() => _quality.Import(import, context, CancellationToken.None), import);
        var (items, _) = await _sut.Search.SearchAsync(new SearchQuery(), null, 10);

        Assert.AreEqual(HttpStatusCode.Created, putReply.Status, putReply.Body);
        var validated = validateReply.Json["score"]!.GetValue<int>();
        Assert.IsTrue(validateReply.Json["findings"]!.AsArray().Any(f => f!["rule"]!.GetValue<string>() == "placeholder-left"), validateReply.Body);
        Assert.IsLessThan(100, validated, "the placeholder costs points");
        Assert.AreEqual(validated, items.Single(i => i.Name == "ledger-writer").Score, "PUT stores the score /validate gives");
        Assert.AreEqual(validated, importReply.Json["results"]![0]!["score"]!.GetValue<int>(), importReply.Body);
        Assert.AreEqual(validated, items.Single(i => i.Name == "ledger-copy").Score, "import stores the score /validate gives");
    }

    [TestMethod]
    public async Task Validate_NewDocument_IsNotCalledUnreviewed()
    {
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "POST", "/api/validate", ValidBody, "application/json");

        var reply = await Reply.From(() => _quality.Validate(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Body);
        Assert.IsFalse(reply.Json["findings"]!.AsArray().Any(f => f!["rule"]!.GetValue<string>() == "not-reviewed"), reply.Body);
        await _sut.Catalog.CreateAsync(RequestBody.DeserializeStrict<ComponentDocument>(ValidBody), Users.Payments);
        Assert.AreEqual(reply.Json["score"]!.GetValue<int>(), (await _sut.Catalog.QualityAsync("payments-api")).Score, "the stored document scores what /validate said");
    }

    [TestMethod]
    public async Task ColdInstance_FirstRefreshThenSearch_LoadsTheIndexOnce()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        var scans = new CountingPolicy(message => message.Request.Uri.ToUri().Query.Contains("RowKey%20eq%20%27head%27", StringComparison.Ordinal));
        var search = TestStorage.NewSearch(TablesWith(scans), _sut.Clock, _sut.Options);

        await search.RefreshAsync();
        var (items, _) = await search.SearchAsync(new SearchQuery(), null, 10);

        Assert.HasCount(1, items);
        Assert.AreEqual(1, scans.Count, "one full load of the index");
    }

    [TestMethod]
    public async Task Job_IndexUnreadable_FailsAndKeepsTheLastReport()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Old One"), Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));
        var jobs = new JobStore(_sut.Tables);
        Assert.AreEqual("completed", (await Jobs(jobs, _sut.Search).RunStaleSweepAsync()).Status);
        var down = new CountingPolicy { Fail = true };
        var coldSearch = TestStorage.NewSearch(TablesWith(down), _sut.Clock, _sut.Options);

        await Assert.ThrowsExactlyAsync<StorageUnavailableException>(() => Jobs(jobs, coldSearch).RunStaleSweepAsync());

        var (last, items) = await jobs.ReadLastRunReportAsync(MaintenanceJobs.StaleSweep, "stale");
        CollectionAssert.AreEqual(new[] { "old-one" }, items.Select(i => i.Key).ToList(), "the last good report stays");
        Assert.AreEqual(1, last!.Counts["stale"]);
    }

    [TestMethod]
    public async Task Report_DuringARunInSteps_ShowsOnlyTheLastFinishedRun()
    {
        var jobs = new JobStore(_sut.Tables);
        foreach (var title in new[] { "A1", "A2" }) await _sut.Catalog.CreateAsync(Documents.Minimal(title), Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));
        var first = await Jobs(jobs, _sut.Search).RunStaleSweepAsync();
        foreach (var title in new[] { "B1", "B2", "B3", "B4", "B5" }) await _sut.Catalog.CreateAsync(Documents.Minimal(title), Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromDays(_sut.Options.StaleAfterDays + 1));

        var seen = new List<(string Status, string? LastRun, List<string> Items)>();
        for (var step = 0; step < 10; step++)
        {
            var outcome = await Jobs(jobs, _sut.Search, maxItems: 2).RunStaleSweepAsync();
            var (last, items) = await jobs.ReadLastRunReportAsync(MaintenanceJobs.StaleSweep, "stale");
            seen.Add((outcome.Status, last?.RunId, items.Select(i => i.Key).ToList()));
            if (outcome.Status == "completed") break;
        }

        var partial = seen.Where(s => s.Status == "partial").ToList();
        Assert.IsNotEmpty(partial, "the run went in steps");
        foreach (var (_, lastRun, items) in partial)
        {
            Assert.AreEqual(first.Run!.RunId, lastRun);
            CollectionAssert.AreEqual(new[] { "a1", "a2" }, items, "while a run is in progress the report is exactly the previous run's");
        }
        Assert.AreEqual("completed", seen[^1].Status);
        CollectionAssert.AreEqual(new[] { "a1", "a2", "b1", "b2", "b3", "b4", "b5" }, seen[^1].Items);
    }

    [TestMethod]
    public async Task CommitWithoutLocalIndex_WorkerDied_DocumentIsSearchableOnRestartAndElsewhere()
    {
        var elsewhere = TestStorage.NewSearch(_sut.Tables, _sut.Clock, _sut.Options);
        await elsewhere.SearchAsync(new SearchQuery(), null, 10);
        var now = _sut.Clock.GetUtcNow();
        var document = Documents.Minimal("Orphan Service") with { Name = "orphan-service", Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "pay@test" };
        var entry = await _sut.Projection.ProjectAsync(document);
        var write = new RevisionWrite("orphan-service", 1, JsonSerializer.SerializeToUtf8Bytes(document, CatalogJson.Options), "hash", now, now, "pay@test",
            document.Title, document.Owner, entry, Guid.NewGuid().ToString("N"));

        await new IndexStore(_sut.Tables).AnnounceAsync([new ChangeIntent("orphan-service", 1, write.WriteId)], now);
        await _sut.Store.WriteRevisionAsync(write, expected: null);
        // The worker dies here: nothing after the commit runs.
        var restarted = TestStorage.NewSearch(_sut.Tables, _sut.Clock, _sut.Options);
        _sut.Clock.Advance(TimeSpan.FromSeconds(3));
        await elsewhere.RefreshAsync();

        var query = new SearchQuery { Q = "orphan" };
        Assert.AreEqual("orphan-service", (await restarted.SearchAsync(query, null, 10)).Items.Single().Name, "a new instance finds it");
        Assert.AreEqual("orphan-service", (await elsewhere.SearchAsync(query, null, 10)).Items.Single().Name, "a running instance learns of it");
    }

    [TestMethod]
    public async Task Refresh_WriteAnnouncedButNotYetCommitted_IsAppliedWhenItCommits()
    {
        var elsewhere = TestStorage.NewSearch(_sut.Tables, _sut.Clock, _sut.Options);
        await elsewhere.SearchAsync(new SearchQuery(), null, 10);
        var now = _sut.Clock.GetUtcNow();
        var document = Documents.Minimal("Slow Writer") with { Name = "slow-writer", Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "pay@test" };
        var write = new RevisionWrite("slow-writer", 1, JsonSerializer.SerializeToUtf8Bytes(document, CatalogJson.Options), "hash", now, now, "pay@test",
            document.Title, document.Owner, await _sut.Projection.ProjectAsync(document), Guid.NewGuid().ToString("N"));
        await new IndexStore(_sut.Tables).AnnounceAsync([new ChangeIntent("slow-writer", 1, write.WriteId)], now);

        _sut.Clock.Advance(TimeSpan.FromSeconds(3));
        await elsewhere.RefreshAsync();
        var before = (await elsewhere.SearchAsync(new SearchQuery(), null, 10)).Items.Count;
        await _sut.Store.WriteRevisionAsync(write, expected: null);
        _sut.Clock.Advance(TimeSpan.FromSeconds(3));
        await elsewhere.RefreshAsync();

        Assert.AreEqual(0, before, "announced, not committed: nothing to show yet");
        Assert.AreEqual("slow-writer", (await elsewhere.SearchAsync(new SearchQuery(), null, 10)).Items.Single().Name);
    }

    [TestMethod]
    public async Task DeletedHead_ForeignWriter_Returns403OnPostPutAndImport()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger", owner: "identity"), Users.Identity);
        await _sut.Catalog.DeleteAsync("ledger", Preconditions.None, Users.Identity);
        var takeover = Documents.Minimal("Ledger", owner: "payments");
        var markdown = new MarkdownTemplate().Render(takeover);
        var import = new ComponentImport(_sut.Catalog, _sut.Projection, new MarkdownTemplate(), _sut.Options);

        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.CreateAsync(takeover, Users.Payments));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.PutAsync("ledger", takeover, Preconditions.None, Users.Payments));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.PutAsync("ledger", takeover, new("*", null), Users.Payments));
        var results = await import.ImportAsync(new ImportRequest([new ImportDocument("ledger.md", markdown)]), Users.Payments);

        Assert.AreEqual("forbidden", results.Single().Status);
        var head = await _sut.Store.GetHeadAsync("ledger");
        Assert.IsTrue(head!.Deleted);
        Assert.AreEqual("identity", head.Owner);
        Assert.AreEqual("ledger", (await _sut.Catalog.RestoreAsync("ledger", Users.Identity)).Document.Name, "the owner can still restore it");
        var admin = await _sut.Catalog.PutAsync("ledger", takeover, new("*", null), Users.Admin);
        Assert.AreEqual("payments", admin.Stored.Document.Owner, "an admin may move it");
    }

    [TestMethod]
    public async Task DeletedHead_OwnTeam_MayWriteOverIt()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        await _sut.Catalog.DeleteAsync("ledger", Preconditions.None, Users.Payments);

        var (stored, created) = await _sut.Catalog.PutAsync("ledger", Documents.Minimal("Ledger"), Preconditions.None, Users.Payments);

        Assert.IsTrue(created);
        Assert.AreEqual(2, stored.Document.Revision);
    }

    [TestMethod]
    public async Task Import_WhilePurging_IsRefusedAndNothingWritten()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        await _sut.Catalog.DeleteAsync("ledger", Preconditions.None, Users.Payments);
        var head = (await _sut.Tables.Components.GetEntityAsync<TableEntity>("ledger", "head")).Value;
        head["Purging"] = true;
        await _sut.Tables.Components.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Merge);
        var import = new ComponentImport(_sut.Catalog, _sut.Projection, new MarkdownTemplate(), _sut.Options);

        var results = await import.ImportAsync(new ImportRequest([new ImportDocument("ledger.md", new MarkdownTemplate().Render(Documents.Minimal("Ledger")))]), Users.Payments);

        Assert.AreEqual("invalid", results.Single().Status);
        StringAssert.Contains(results.Single().Errors!["document"][0], "purged");
        Assert.AreEqual(1, (await _sut.Store.GetHeadAsync("ledger"))!.Revision);
    }

    [TestMethod]
    public async Task Import_DeletedHeadOwnTeam_CreatesTheNextRevisionKeepingHistory()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        await _sut.Catalog.DeleteAsync("ledger", Preconditions.None, Users.Payments);
        var import = new ComponentImport(_sut.Catalog, _sut.Projection, new MarkdownTemplate(), _sut.Options);

        var results = await import.ImportAsync(new ImportRequest([new ImportDocument("ledger.md", new MarkdownTemplate().Render(Documents.Minimal("Ledger") with { Description = "back again" }))]), Users.Payments);

        Assert.AreEqual("created", results.Single().Status, "the index did not know the name; storage's deleted head did");
        Assert.AreEqual(2, results.Single().Revision);
        var head = await _sut.Store.GetHeadAsync("ledger");
        Assert.IsFalse(head!.Deleted);
        Assert.AreEqual(2, head.Revision);
        Assert.AreEqual("back again", (await _sut.Catalog.GetAsync("ledger")).Document.Description);
        Assert.HasCount(2, await _sut.Store.ListRevisionsAsync("ledger"));
    }

    [TestMethod]
    public async Task Import_NameCreatedByAnotherInstanceMeanwhile_UpdatesItInsteadOfFailing()
    {
        var other = TestStorage.SecondInstance(_sut);
        await _sut.Search.CurrentEntriesAsync();
        await other.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        var import = new ComponentImport(_sut.Catalog, _sut.Projection, new MarkdownTemplate(), _sut.Options);

        var results = await import.ImportAsync(new ImportRequest([new ImportDocument("ledger.md", new MarkdownTemplate().Render(Documents.Minimal("Ledger") with { Description = "imported" }))]), Users.Payments);

        Assert.AreEqual("updated", results.Single().Status, results.Single().Errors is { } e ? string.Join("; ", e.SelectMany(x => x.Value)) : "");
        Assert.AreEqual(2, results.Single().Revision);
        Assert.AreEqual("imported", (await other.Catalog.GetAsync("ledger")).Document.Description);
    }

    [TestMethod]
    public async Task Import_NewDocuments_OneStorageRequestPerDocumentBesidesTheAnnouncement()
    {
        var counter = new CountingPolicy(m => m.Request.Uri.Path.Contains("Components", StringComparison.Ordinal) || m.Request.Uri.Path.Contains("$batch", StringComparison.Ordinal));
        var clientOptions = new Azure.Data.Tables.TableClientOptions();
        clientOptions.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall);
        var sut = TestStorage.CreateCatalog(clientOptions: clientOptions);
        await sut.Search.CurrentEntriesAsync();
        var import = new ComponentImport(sut.Catalog, sut.Projection, new MarkdownTemplate(), sut.Options);
        var documents = Enumerable.Range(0, 20).Select(i => new ImportDocument($"d{i}.md", new MarkdownTemplate().Render(Documents.Minimal($"Doc {i:D2}")))).ToList();
        var before = counter.Count;

        var results = await import.ImportAsync(new ImportRequest(documents), Users.Payments);

        Assert.IsTrue(results.All(r => r.Status == "created"), string.Join(", ", results.Select(r => r.Status)));
        Assert.AreEqual(20 + 1, counter.Count - before, "one revision transaction per new document and one announcement transaction, no head reads");
    }

    private MaintenanceJobs Jobs(JobStore jobs, ComponentSearch search, int maxItems = 10_000) => new(
        jobs, _sut.Store, _sut.Catalog, search, _sut.Clock, _sut.Options,
        new MaintenanceOptions { MaxItemsPerRun = maxItems, LeaseSeconds = 300 }, NullLogger<MaintenanceJobs>.Instance);

    private CatalogTables TablesWith(HttpPipelinePolicy policy)
    {
        var prefix = _sut.Tables.Components.Name[..^"Components".Length];
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.AddPolicy(policy, HttpPipelinePosition.PerCall);
        return new CatalogTables(new TableServiceClient(TestStorage.ConnectionString, clientOptions), TestStorage.Options(prefix));
    }

}
