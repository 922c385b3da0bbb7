using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Storage;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Catalog;

/// <summary>
/// Documents served from memory until the change log says they changed: two catalog instances over the same real
/// Azurite tables, each with its own cache and index, one clock.
/// </summary>
[TestClass]
public sealed class DocumentCacheTests
{
    [TestMethod]
    public async Task Get_OtherInstanceUpdates_ServedFromCacheUntilRefreshThenNewRevision()
    {
        var a = TestStorage.CreateCatalog(cacheSeconds: 3600);
        var b = TestStorage.SecondInstance(a);
        await a.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await b.Search.CurrentEntriesAsync();
        Assert.AreEqual(1, (await b.Catalog.GetAsync("payments-api")).Document.Revision);

        await a.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "fresh" }, new("\"1\"", null), Users.Payments);
        var beforeRefresh = await b.Catalog.GetAsync("payments-api");
        await b.Search.RefreshAsync();
        var afterRefresh = await b.Catalog.GetAsync("payments-api");

        Assert.AreEqual(1, beforeRefresh.Document.Revision, "B serves its cached copy until its refresh hears of the change");
        Assert.AreEqual(2, afterRefresh.Document.Revision);
        Assert.AreEqual("fresh", afterRefresh.Document.Description);
        Assert.AreEqual(Etags.ForRevision(2), afterRefresh.ETag);
    }

    [TestMethod]
    public async Task Get_OtherInstanceDeletes_NotFoundAfterRefresh()
    {
        var a = TestStorage.CreateCatalog(cacheSeconds: 3600);
        var b = TestStorage.SecondInstance(a);
        await a.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await b.Search.CurrentEntriesAsync();
        await b.Catalog.GetAsync("payments-api");

        await a.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Payments);
        await b.Search.RefreshAsync();

        await Assert.ThrowsExactlyAsync<NotFoundException>(() => b.Catalog.GetAsync("payments-api"));
    }

    [TestMethod]
    public async Task Get_AfterIdleSpell_WaitsForThePollAndServesNewRevision()
    {
        var a = TestStorage.CreateCatalog(cacheSeconds: 3600);
        var b = TestStorage.SecondInstance(a);
        await a.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await b.Search.CurrentEntriesAsync();
        await b.Catalog.GetAsync("payments-api");
        await a.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "fresh" }, new("\"1\"", null), Users.Payments);

        a.Clock.Advance(TimeSpan.FromSeconds(3 * a.Options.IndexRefreshSeconds));
        var read = await b.Catalog.GetAsync("payments-api");

        Assert.AreEqual(2, read.Document.Revision, "after two refresh intervals without a poll, a read waits for one");
    }

    [TestMethod]
    public async Task Get_OwnWrite_ServedFromCacheAtOnce()
    {
        var a = TestStorage.CreateCatalog(cacheSeconds: 3600);
        await a.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await a.Catalog.GetAsync("payments-api");

        await a.Catalog.PutAsync("payments-api", Documents.Minimal() with { Description = "mine" }, new("\"1\"", null), Users.Payments);

        Assert.AreEqual("mine", (await a.Catalog.GetAsync("payments-api")).Document.Description);
    }

    [TestMethod]
    public void Remember_InvalidatedWhileReading_IsNotCached()
    {
        var options = new CatalogOptions { CacheSeconds = 3600 };
        var cache = TestStorage.NewDocumentCache(options);
        var old = new StoredDocument(Documents.Minimal() with { Name = "payments-api", Revision = 1 }, Etags.ForRevision(1));
        var generation = cache.Generation;

        cache.Invalidate("payments-api");
        cache.Remember("payments-api", 1, old, generation);

        Assert.IsFalse(cache.TryGet("payments-api", out _), "a read that raced a change must not cache the old revision");
        cache.Remember("payments-api", 1, old, cache.Generation);
        Assert.IsTrue(cache.TryGet("payments-api", out var cached));
        Assert.AreEqual(old.ETag, cached.ETag);
        CollectionAssert.AreEqual(old.Json, cached.Json);
    }

    [TestMethod]
    public void Committed_OlderRevisionThanCached_KeepsTheLaterOne()
    {
        var options = new CatalogOptions { CacheSeconds = 3600 };
        var cache = TestStorage.NewDocumentCache(options);
        var second = new StoredDocument(Documents.Minimal() with { Name = "payments-api", Revision = 2 }, Etags.ForRevision(2));
        var first = new StoredDocument(Documents.Minimal() with { Name = "payments-api", Revision = 1 }, Etags.ForRevision(1));

        cache.Committed("payments-api", 2, second);
        cache.Committed("payments-api", 1, first);

        Assert.IsTrue(cache.TryGet("payments-api", out var cached));
        Assert.AreEqual(Etags.ForRevision(2), cached.ETag);
        Assert.AreEqual(2, cached.Document.Revision);
    }

    [TestMethod]
    public void TryGet_Cached_KeepsOnlyTheGzipdFormAndDecodesToTheSameJson()
    {
        var options = new CatalogOptions { CacheSeconds = 3600 };
        var cache = TestStorage.NewDocumentCache(options);
        var document = Documents.Minimal() with { Name = "payments-api", Revision = 3, Description = string.Concat(Enumerable.Repeat("cached words ", 200)) };
        var committed = new StoredDocument(document, Etags.ForRevision(3));

        cache.Committed("payments-api", 3, committed);
        Assert.IsTrue(cache.TryGet("payments-api", out var first));
        Assert.IsTrue(cache.TryGet("payments-api", out var second));

        CollectionAssert.AreEqual(committed.Json, first.Json, "the cached gzip decodes to the JSON that was committed");
        Assert.AreSame(first.Gzip, second.Gzip, "every read shares the one compressed copy");
        Assert.IsLessThan(committed.Json.Length / 3, first.Gzip.Length, "what is kept is compressed");
        Assert.AreEqual(document.Description, second.Document.Description);
        Assert.AreSame(first.MarkdownGzip(_ => "# rendered"), second.MarkdownGzip(_ => "# rendered again"), "Markdown is compressed once per cached revision");
    }
}
