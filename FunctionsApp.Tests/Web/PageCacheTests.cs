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
        using var cache = new PageCache(sut.Catalog);
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
}
