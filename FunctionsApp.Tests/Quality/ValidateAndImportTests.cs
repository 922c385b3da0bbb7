using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using ComponentCatalog.Catalog;
using ComponentCatalog.Functions;
using ComponentCatalog.Markdown;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Quality;

/// <summary>POST /validate and POST /import over real Azurite.</summary>
[TestClass]
public sealed class ValidateAndImportTests
{
    private CatalogUnderTest _sut = null!;
    private QualityFunctions _functions = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        var markdown = new MarkdownTemplate();
        _functions = new QualityFunctions(_sut.Catalog, new CatalogLint(markdown, _sut.Quality), new ComponentImport(_sut.Catalog, _sut.Projection, markdown, _sut.Options), _sut.Options);
    }

    private static string Markdown(string title, string owner, string description = "Keeps the books for every payment the shop takes, refunds included.", string extra = "") => $"""
        ---
        owner: {owner}
        ---
        ## Component Name
        {title}

        ## File Location
        `backend/{title.ToLowerInvariant().Replace(' ', '-')}`

        ## Description
        {description}
        {extra}
        """;

    private async Task<Reply> Validate(string body, string contentType, string? accept = null)
    {
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "POST", "/api/validate?path=docs/x.md", body, contentType);
        if (accept is not null) req.WithHeader("Accept", accept);
        return await Reply.From(() => _functions.Validate(req, context, CancellationToken.None), req);
    }

    private async Task<Reply> Import(object body, CatalogUser user)
    {
        var context = FakeContext.As(user);
        var req = new FakeRequest(context, "POST", "/api/import", JsonSerializer.Serialize(body), "application/json");
        return await Reply.From(() => _functions.Import(req, context, CancellationToken.None), req);
    }

    private async Task<int> RowCount()
    {
        await _sut.Tables.EnsureCreatedAsync();
        var rows = await _sut.Tables.Components.QueryAsync<TableEntity>().ToListAsync();
        return rows.Count;
    }

    [TestMethod]
    public async Task Validate_Markdown_ReportsScoreFindingsAndStoresNothing()
    {
        var reply = await Validate(Markdown("Ledger", "payments", description: "[Brief description of the component's purpose]"), "text/markdown");

        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Body);
        Assert.AreEqual("ledger", reply.Json["name"]!.GetValue<string>());
        Assert.IsFalse(reply.Json["valid"]!.GetValue<bool>(), "description missing once the placeholder is dropped");
        var rules = reply.Json["findings"]!.AsArray().Select(f => f!["rule"]!.GetValue<string>()).ToList();
        CollectionAssert.Contains(rules, "placeholder-left");
        Assert.IsLessThan(100, reply.Json["score"]!.GetValue<int>());
        Assert.AreEqual(0, await RowCount());
    }

    [TestMethod]
    public async Task Validate_JsonWithFieldErrors_IsInvalidNot400()
    {
        var reply = await Validate("""{"title":"Ledger","owner":"Bad Owner"}""", "application/json");

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.IsFalse(reply.Json["valid"]!.GetValue<bool>());
        Assert.IsTrue(reply.Json["findings"]!.AsArray().Any(f => f!["rule"]!.GetValue<string>() == "invalid-field" && f["section"]!.GetValue<string>() == "owner"));
    }

    [TestMethod]
    public async Task Validate_SarifAccept_ReturnsSarifLog()
    {
        var reply = await Validate(Markdown("Ledger", "payments"), "text/markdown", "application/sarif+json");

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        StringAssert.StartsWith(reply.Header("Content-Type"), "application/sarif+json");
        Assert.AreEqual("2.1.0", reply.Json["version"]!.GetValue<string>());
        Assert.IsNotNull(reply.Json["runs"]![0]!["results"]);
    }

    [TestMethod]
    public async Task Validate_MalformedJson_Returns400()
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, (await Validate("{", "application/json")).Status);
        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, (await Validate("x", "text/plain")).Status);
    }

    [TestMethod]
    public async Task Import_MixedBatch_RightStatusPerDocumentAndRevisions()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Identity Core", owner: "identity"), Users.Identity with { Role = CatalogRole.Admin });
        var seed = await Import(new { documents = new[] { new { path = "docs/ledger.md", markdown = Markdown("Ledger", "payments") } } }, Users.Payments);
        Assert.AreEqual("created", seed.Json["results"]![0]!["status"]!.GetValue<string>());

        var reply = await Import(new
        {
            documents = new[]
            {
                new { path = "docs/ledger.md", markdown = Markdown("Ledger", "payments") },
                new { path = "docs/wallet.md", markdown = Markdown("Wallet", "payments", extra: "\n## Related Components\n- Ledger - books through\n- Refunds - hands off to") },
                new { path = "docs/refunds.md", markdown = Markdown("Refunds", "payments") },
                new { path = "docs/broken.md", markdown = "## Component Name\n\n## Component Name\nTwice" },
                new { path = "docs/identity.md", markdown = Markdown("Identity Core", "identity") },
                new { path = "docs/changed.md", markdown = Markdown("Ledger Two", "payments") },
            },
            dryRun = false,
        }, Users.Payments);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Body);
        var statuses = reply.Json["results"]!.AsArray().ToDictionary(r => r!["path"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.AreEqual("unchanged", statuses["docs/ledger.md"]);
        Assert.AreEqual("created", statuses["docs/wallet.md"]);
        Assert.AreEqual("created", statuses["docs/refunds.md"]);
        Assert.AreEqual("invalid", statuses["docs/broken.md"]);
        Assert.AreEqual("forbidden", statuses["docs/identity.md"]);
        Assert.AreEqual("created", statuses["docs/changed.md"]);
        Assert.HasCount(1, await _sut.Catalog.ListRevisionsAsync("ledger"), "unchanged makes no revision");
        Assert.HasCount(1, await _sut.Catalog.ListRevisionsAsync("identity-core"));
        Assert.AreEqual("identity", (await _sut.Catalog.GetAsync("identity-core")).Document.Owner);
        var wallet = reply.Json["results"]!.AsArray().Single(r => r!["path"]!.GetValue<string>() == "docs/wallet.md")!;
        var walletQuality = await _sut.Quality.EvaluateAsync((await _sut.Catalog.GetAsync("wallet")).Document);
        Assert.IsFalse(walletQuality.Findings.Any(f => f.Rule == "unknown-reference"), "refunds and ledger resolve");
        Assert.IsNotNull(wallet["score"]);
        Assert.IsNotNull(reply.Json["results"]!.AsArray().Single(r => r!["path"]!.GetValue<string>() == "docs/broken.md")!["errors"]);
    }

    [TestMethod]
    public async Task Import_DryRun_ReportsButWritesNothing()
    {
        var reply = await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Alpha", "payments") } }, dryRun = true }, Users.Payments);

        Assert.AreEqual("created", reply.Json["results"]![0]!["status"]!.GetValue<string>());
        Assert.AreEqual(0, await RowCount());
    }

    [TestMethod]
    public async Task Import_UpdatedDocument_AddsOneRevision()
    {
        await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Alpha", "payments") } } }, Users.Payments);

        var reply = await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Alpha", "payments", description: "Now with a much longer description of what alpha does for everyone.") } } }, Users.Payments);

        Assert.AreEqual("updated", reply.Json["results"]![0]!["status"]!.GetValue<string>());
        Assert.AreEqual(2, reply.Json["results"]![0]!["revision"]!.GetValue<int>());
        Assert.HasCount(2, await _sut.Catalog.ListRevisionsAsync("alpha"));
    }

    [TestMethod]
    public async Task Import_SameNameTwice_BothInvalid()
    {
        var reply = await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Alpha", "payments") }, new { path = "b.md", markdown = Markdown("Alpha", "payments") } } }, Users.Payments);

        Assert.IsTrue(reply.Json["results"]!.AsArray().All(r => r!["status"]!.GetValue<string>() == "invalid"));
        Assert.AreEqual(0, await RowCount());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(501)]
    public async Task Import_TooFewOrTooMany_Returns400(int count)
    {
        var documents = Enumerable.Range(0, count).Select(i => new { path = $"{i}.md", markdown = Markdown($"Doc {i}", "payments") }).ToArray();

        var reply = await Import(new { documents }, Users.Payments);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
    }

    [TestMethod]
    public async Task Import_Reader_RefusedByTheGate_AndNothingStoredPastIt()
    {
        var gate = GateOutcome.Decide("ImportDocuments", ComponentCatalog.Auth.AuthResult.For(Users.Reader));
        var reply = await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Alpha", "payments") } } }, Users.Reader);

        Assert.IsInstanceOfType<ComponentCatalog.Errors.ForbiddenException>(gate.Failure, "the role is the gate's decision");
        // Past the gate (a caller that skipped it), team ownership still refuses every document: a reader writes none.
        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Body);
        Assert.AreEqual("forbidden", JsonDocument.Parse(reply.Body).RootElement.GetProperty("results")[0].GetProperty("status").GetString(), reply.Body);
        Assert.AreEqual(0, await RowCount());
    }

    [TestMethod]
    public async Task Summaries_CarryScore_MinScoreFilters()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Poor"), Users.Payments);
        await Import(new { documents = new[] { new { path = "a.md", markdown = Markdown("Better", "payments") } } }, Users.Payments);

        var all = (await _sut.Search.SearchAsync(new SearchQuery(), null, 50)).Items;
        var poor = all.Single(i => i.Name == "poor").Score!.Value;
        var better = all.Single(i => i.Name == "better").Score!.Value;
        var filtered = (await _sut.Search.SearchAsync(new SearchQuery { MinScore = better }, null, 50)).Items.Select(i => i.Name).ToList();

        Assert.IsGreaterThan(poor, better);
        CollectionAssert.AreEqual(new[] { "better" }, filtered);
    }

    [TestMethod]
    public async Task QualityFunction_ReturnsScoreAndFindings()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal("Poor"), Users.Payments);
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/components/poor/quality");

        var reply = await Reply.From(() => _functions.Get(req, "poor", context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.IsTrue(reply.Json["findings"]!.AsArray().Any(f => f!["rule"]!.GetValue<string>() == "required-section"));
        Assert.AreEqual(reply.Json["score"]!.GetValue<int>(), (await _sut.Search.SearchAsync(new SearchQuery(), null, 5)).Items.Single().Score);
    }
}
