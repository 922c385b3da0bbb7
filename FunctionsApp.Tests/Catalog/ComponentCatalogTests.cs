using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Catalog;

[TestClass]
public sealed class ComponentCatalogTests
{
    private CatalogUnderTest _sut = null!;

    [TestInitialize]
    public void Init() => _sut = TestStorage.CreateCatalog();

    [TestMethod]
    public async Task Create_NoName_UsesSlugOfTitleAndRevisionOne()
    {
        var stored = await _sut.Catalog.CreateAsync(Documents.Full("User Auth Service", "payments"), Users.Payments);

        Assert.AreEqual("user-auth-service", stored.Document.Name);
        Assert.AreEqual(1, stored.Document.Revision);
        Assert.AreEqual("\"1\"", stored.ETag);
        Assert.AreEqual("pay@test", stored.Document.UpdatedBy);
        Assert.AreEqual(_sut.Clock.GetUtcNow(), stored.Document.CreatedAt);
        var read = await _sut.Catalog.GetAsync("user-auth-service");
        Assert.AreEqual(stored.Document, read.Document);
    }

    [TestMethod]
    public async Task Create_NameTaken_ThrowsConflict()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        await Assert.ThrowsExactlyAsync<ConflictException>(() => _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments));
        Assert.HasCount(1, await _sut.Catalog.ListRevisionsAsync("payments-api"));
    }

    [TestMethod]
    public async Task Put_ExistingWithoutIfMatch_ThrowsPreconditionRequired()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        await Assert.ThrowsExactlyAsync<PreconditionRequiredException>(() =>
            _sut.Catalog.PutAsync("payments-api", Documents.Minimal(), Preconditions.None, Users.Payments));
    }

    [TestMethod]
    public async Task Put_StaleIfMatch_ThrowsPreconditionFailedAndKeepsContent()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "second" }, new("\"1\"", null), Users.Payments);

        await Assert.ThrowsExactlyAsync<PreconditionFailedException>(() =>
            _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "lost" }, new("\"1\"", null), Users.Payments));
        Assert.AreEqual("second", (await _sut.Catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public async Task Put_IfMatchStar_OverwritesAnyRevision()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        var (stored, created) = await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "new" }, new("*", null), Users.Payments);

        Assert.IsFalse(created);
        Assert.AreEqual(2, stored.Document.Revision);
        Assert.AreEqual("new", (await _sut.Catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public async Task Put_IfNoneMatchStarOnExisting_ThrowsPreconditionFailed()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        await Assert.ThrowsExactlyAsync<PreconditionFailedException>(() =>
            _sut.Catalog.PutAsync("payments-api", Documents.Minimal(), new(null, "*"), Users.Payments));
    }

    [TestMethod]
    public async Task Put_Absent_CreatesRevisionOne()
    {
        var (stored, created) = await _sut.Catalog.PutAsync("billing", Documents.Minimal("Billing"), new(null, "*"), Users.Payments);

        Assert.IsTrue(created);
        Assert.AreEqual(1, stored.Document.Revision);
        Assert.AreEqual("billing", stored.Document.Name);
    }

    [TestMethod]
    public async Task Put_SixteenWritersSameETag_ExactlyOneWins()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        var attempts = Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = $"writer {i}" }, new("\"1\"", null), Users.Payments);
                return true;
            }
            catch (PreconditionFailedException)
            {
                return false;
            }
        });
        var results = await Task.WhenAll(attempts);

        Assert.AreEqual(1, results.Count(r => r));
        var revisions = await _sut.Catalog.ListRevisionsAsync("payments-api");
        Assert.HasCount(2, revisions);
        var winner = Array.IndexOf(results, true);
        Assert.AreEqual($"writer {winner}", (await _sut.Catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public async Task Delete_ThenGet_NotFound_RestoreBringsItBack()
    {
        await _sut.Catalog.CreateAsync(Documents.Full(), Users.Payments);

        await _sut.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Payments);

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => _sut.Catalog.GetAsync("payments-api"));
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => _sut.Catalog.ListRevisionsAsync("payments-api"));
        var head = await _sut.Store.GetHeadAsync("payments-api");
        Assert.IsTrue(head!.Deleted);
        Assert.AreEqual(_sut.Clock.GetUtcNow(), head.DeletedAt);

        var restored = await _sut.Catalog.RestoreAsync("payments-api", Users.Payments);

        Assert.AreEqual(Documents.Full().Description, restored.Document.Description);
        Assert.AreEqual(1, (await _sut.Catalog.GetAsync("payments-api")).Document.Revision);
    }

    [TestMethod]
    public async Task Create_OverDeletedName_AddsRevisionAndRevives()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Payments);

        var stored = await _sut.Catalog.CreateAsync(Documents.Minimal() with { Description = "again" }, Users.Payments);

        Assert.AreEqual(2, stored.Document.Revision);
        Assert.AreEqual("again", (await _sut.Catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public async Task Revisions_ListNewestFirst_AndOldRevisionReadsAsItWas()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal() with { Description = "one" }, Users.Payments);
        _sut.Clock.Advance(TimeSpan.FromMinutes(1));
        await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "two" }, new("\"1\"", null), Users.Identity with { Role = CatalogRole.Admin });
        _sut.Clock.Advance(TimeSpan.FromMinutes(1));
        await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "three" }, new("\"2\"", null), Users.Payments);

        var revisions = await _sut.Catalog.ListRevisionsAsync("payments-api");
        var second = await _sut.Catalog.GetRevisionAsync("payments-api", 2);

        CollectionAssert.AreEqual(new[] { 3, 2, 1 }, revisions.Select(r => r.Revision).ToArray());
        Assert.AreEqual("id@test", revisions[1].UpdatedBy);
        Assert.AreEqual("two", second.Document.Description);
        Assert.AreEqual("\"2\"", second.ETag);
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => _sut.Catalog.GetRevisionAsync("payments-api", 4));
    }

    [TestMethod]
    public async Task Patch_MergesAndRemovesWithNull()
    {
        await _sut.Catalog.CreateAsync(Documents.Full(), Users.Payments);
        var patch = System.Text.Json.Nodes.JsonNode.Parse("""{"description":"patched","caching":{"cacheDuration":"5 min"},"notes":null}""")!;

        var stored = await _sut.Catalog.PatchAsync("payments-api", patch, new("\"1\"", null), Users.Payments);

        Assert.AreEqual("patched", stored.Document.Description);
        Assert.AreEqual("5 min", stored.Document.Caching!.CacheDuration);
        Assert.AreEqual("payment:{id}", stored.Document.Caching.CacheKeys);
        Assert.IsNull(stored.Document.Notes);
        Assert.AreEqual(Documents.Full().Dependencies, stored.Document.Dependencies);
        Assert.AreEqual(2, stored.Document.Revision);
    }

    [TestMethod]
    public async Task Patch_MovingToForeignOwner_IsForbidden()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        var patch = System.Text.Json.Nodes.JsonNode.Parse("""{"owner":"identity"}""")!;

        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.PatchAsync("payments-api", patch, new("*", null), Users.Payments));
        Assert.AreEqual("payments", (await _sut.Catalog.GetAsync("payments-api")).Document.Owner);
    }

    [TestMethod]
    public async Task Writes_ByOtherTeamOrReader_AreForbidden()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);

        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.PutAsync("payments-api", Documents.Minimal(), new("*", null), Users.Identity));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Identity));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.CreateAsync(Documents.Minimal("Other"), Users.Reader));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _sut.Catalog.CreateAsync(Documents.Minimal("Mine", owner: "identity"), Users.Payments));
        var (_, created) = await _sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "by admin" }, new("*", null), Users.Admin);
        Assert.IsFalse(created);
        Assert.HasCount(2, await _sut.Catalog.ListRevisionsAsync("payments-api"));
    }

    [TestMethod]
    public async Task Get_Cached_ServesWithinWindow_AndOwnWritesReplaceEntry()
    {
        var sut = TestStorage.CreateCatalog(cacheSeconds: 60);
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await sut.Catalog.GetAsync("payments-api");

        await sut.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "fresh" }, new("\"1\"", null), Users.Payments);

        Assert.AreEqual("fresh", (await sut.Catalog.GetAsync("payments-api")).Document.Description);
        await sut.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Payments);
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => sut.Catalog.GetAsync("payments-api"));
    }

    [TestMethod]
    [DataRow("Bad/Name")]
    [DataRow("a\\b")]
    [DataRow("x#y")]
    [DataRow("q?s")]
    [DataRow("p%20")]
    [DataRow("x' or PartitionKey ne '")]
    [DataRow("-lead")]
    [DataRow("")]
    [DataRow("ü")]
    [DataRow("😀")]
    [DataRow("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd")]
    public async Task AnyRoute_InvalidName_ThrowsValidation(string name)
    {
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Catalog.GetAsync(name));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Catalog.PutAsync(name, Documents.Minimal(), Preconditions.None, Users.Admin));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Catalog.CreateAsync(Documents.Minimal() with { Name = name }, Users.Admin));
    }
}
