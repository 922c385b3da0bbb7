using ComponentCatalog.Catalog;
using ComponentCatalog.Pages;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Web;

/// <summary>A component page's per-revision parts (HTML, revision list) against real Azurite.</summary>
[TestClass]
public sealed class PageCacheTests
{
    [TestMethod]
    public async Task Parts_AreReadOncePerRevision_AndANewRevisionGetsItsOwn()
    {
        var sut = TestStorage.CreateCatalog();
        using var cache = new PageCache(sut.Catalog, sut.Search, sut.Clock, sut.Options);
        var first = await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        var name = first.Document.Name!;

        var parts = await cache.PartsAsync(name, first, CancellationToken.None);
        var (second, _) = await sut.Catalog.PutAsync(name, Documents.Minimal() with { Description = "Takes card payments, refunds and **chargebacks**." },
            new Preconditions(first.ETag, null), Users.Payments);
        var again = await cache.PartsAsync(name, first, CancellationToken.None);
        var next = await cache.PartsAsync(name, second, CancellationToken.None);

        Assert.AreSame(parts, again, "the same revision is served from the cache");
        CollectionAssert.AreEqual(new[] { 1 }, parts.Revisions.Select(r => r.Revision).ToArray(), "the list stops at the page's revision");
        CollectionAssert.AreEqual(new[] { 1, 2 }, next.Revisions.Select(r => r.Revision).OrderBy(r => r).ToArray());
        StringAssert.Contains(next.Sections.Single(s => s.Heading == "Description").Html, "<strong>chargebacks</strong>");
        Assert.DoesNotContain("chargebacks", parts.Sections.Single(s => s.Heading == "Description").Html);
    }

    [TestMethod]
    public async Task Quality_IsReusedWhileItsReferencesResolveTheSame_AndRecomputedWhenOneAppears()
    {
        var sut = TestStorage.CreateCatalog();
        using var cache = new PageCache(sut.Catalog, sut.Search, sut.Clock, sut.Options);
        var stored = await sut.Catalog.CreateAsync(Documents.Full(), Users.Payments);
        var parts = await cache.PartsAsync(stored.Document.Name!, stored, CancellationToken.None);

        var first = await cache.QualityAsync(parts, CancellationToken.None);
        var again = await cache.QualityAsync(parts, CancellationToken.None);
        Assert.AreSame(first, again, "nothing changed: the report is reused");
        Assert.IsTrue(first.Findings.Any(f => f.Message.Contains("ledger", StringComparison.Ordinal)), $"ledger is missing, so the report says so: {string.Join("; ", first.Findings.Select(f => f.Message))}");

        await sut.Catalog.CreateAsync(Documents.Minimal("Ledger") with { Name = "ledger" }, Users.Payments);
        var afterLedger = await cache.QualityAsync(parts, CancellationToken.None);
        Assert.AreNotSame(first, afterLedger, "a reference now resolves differently: the report is made again");
        Assert.IsFalse(afterLedger.Findings.Any(f => f.Message.Contains("ledger", StringComparison.Ordinal)), "ledger exists now");
        CollectionAssert.AreEqual(
            (await sut.Quality.EvaluateAsync(stored.Document)).Findings.Select(f => f.Message).ToArray(),
            afterLedger.Findings.Select(f => f.Message).ToArray(), "the page's report is the API's");

        sut.Clock.Advance(PageCache.QualityReuse);
        Assert.AreNotSame(afterLedger, await cache.QualityAsync(parts, CancellationToken.None), "an old report is made again (the staleness rule moves with the clock)");
    }
}
