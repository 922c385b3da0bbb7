using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Search;

/// <summary>The index across writes and instances.</summary>
[TestClass]
public sealed class SearchConsistencyTests
{
    [TestMethod]
    public async Task Paging_WhileWritesGoOn_ReturnsEachDocumentOnce()
    {
        var sut = TestStorage.CreateCatalog();
        for (var i = 0; i < 60; i++)
        {
            await sut.Catalog.CreateAsync(Documents.Minimal($"Doc {i:D3}"), Users.Payments);
        }

        var seen = new List<string>();
        string? token = null;
        var writes = 0;
        do
        {
            var (items, next) = await sut.Search.SearchAsync(new SearchQuery { Owner = "payments" }, token, 7);
            seen.AddRange(items.Select(i => i.Name));
            token = next;
            await sut.Catalog.CreateAsync(Documents.Minimal($"Extra {writes:D3}"), Users.Payments);
            await sut.Catalog.PutAsync($"doc-{writes:D3}", Documents.Minimal($"Doc {writes:D3}") with { Description = "edited" }, new("*", null), Users.Payments);
            writes++;
        } while (token is not null);

        var originals = Enumerable.Range(0, 60).Select(i => $"doc-{i:D3}").ToList();
        CollectionAssert.IsSubsetOf(originals, seen);
        Assert.HasCount(seen.Count, seen.Distinct(), "no duplicates");
    }

    [TestMethod]
    public async Task SecondInstance_SeesWritesAndDeletesAfterRefresh()
    {
        var sut = TestStorage.CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal("Before"), Users.Payments);
        var other = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        Assert.HasCount(1, (await other.SearchAsync(new SearchQuery(), null, 50)).Items);

        await sut.Catalog.CreateAsync(Documents.Minimal("After") with { Tags = new[] { "late" }.ToEquatableList() }, Users.Payments);
        await sut.Catalog.DeleteAsync("before", Preconditions.None, Users.Payments);
        await other.RefreshAsync();

        var names = (await other.SearchAsync(new SearchQuery(), null, 50)).Items.Select(i => i.Name).ToList();
        CollectionAssert.AreEqual(new[] { "after" }, names);
        Assert.AreEqual(1, (await other.FacetAsync("tag")).Single(f => f.Value == "late").Count);
    }

    [TestMethod]
    public async Task Restore_PutsDocumentBackInIndex()
    {
        var sut = TestStorage.CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Minimal("Gone"), Users.Payments);
        await sut.Catalog.DeleteAsync("gone", Preconditions.None, Users.Payments);
        Assert.IsEmpty((await sut.Search.SearchAsync(new SearchQuery(), null, 50)).Items);

        await sut.Catalog.RestoreAsync("gone", Users.Payments);

        Assert.AreEqual("gone", (await sut.Search.SearchAsync(new SearchQuery(), null, 50)).Items.Single().Name);
        var fresh = TestStorage.NewSearch(sut.Tables, sut.Clock, sut.Options);
        Assert.AreEqual("gone", (await fresh.SearchAsync(new SearchQuery { Q = "gone" }, null, 50)).Items.Single().Name);
    }
}
