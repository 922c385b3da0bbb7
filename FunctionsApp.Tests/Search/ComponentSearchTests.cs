using System.Net;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Model;
using ComponentCatalog.Search;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Search;

/// <summary>Listing, filters, ranking, paging and facets over documents stored in Azurite.</summary>
[TestClass]
public sealed class ComponentSearchTests
{
    private static readonly string[] Owners = ["payments", "identity", "search"];
    private static readonly string[] TagPool = ["core", "billing", "edge", "batch", "beta"];
    private static readonly string[] Libraries = ["Polly", "Dapper", "Stripe.net", "Serilog"];

    private static CatalogUnderTest _sut = null!;
    private static List<ComponentDocument> _documents = null!;

    [ClassInitialize]
    public static async Task Seed(TestContext _)
    {
        _sut = TestStorage.CreateCatalog();
        var random = new Random(42);
        _documents = [];
        for (var i = 0; i < 40; i++)
        {
            var owner = Owners[i % Owners.Length];
            var document = new ComponentDocument
            {
                Name = $"svc-{i:D2}",
                Title = $"Service {i:D2}" + (i % 5 == 0 ? " Ledger" : string.Empty),
                Owner = owner,
                Description = i % 7 == 0 ? "Keeps the ledger of every payment." : $"Does job {i} well.",
                Tags = TagPool.Where((_, t) => (i >> t) % 2 == 1).ToEquatableList(),
                Lifecycle = (Lifecycle)(i % 3),
                ReviewedAt = i % 4 == 0 ? new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero) : null,
                Dependencies = new DependenciesSection
                {
                    ExternalLibraries = Libraries.Where((_, l) => random.Next(3) == 0 || l == i % Libraries.Length)
                        .Select(l => new NamedItem(l, "used")).ToEquatableList(),
                    InternalModules = new[] { new NamedItem($"svc-{(i + 1) % 40:D2}", "calls") }.ToEquatableList(),
                },
            };
            await _sut.Catalog.CreateAsync(document, owner switch { "payments" => Users.Payments, _ => Users.Admin });
            _documents.Add(document);
        }
    }

    private static IEnumerable<ComponentDocument> Live => _documents;

    private static async Task<List<string>> All(SearchQuery query, int limit = 7)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var (items, next) = await _sut.Search.SearchAsync(query, token, limit);
            names.AddRange(items.Select(i => i.Name));
            token = next;
        } while (token is not null);
        return names;
    }

    public static IEnumerable<object[]> Filters =>
    [
        [new SearchQuery(), (Func<ComponentDocument, bool>)(_ => true)],
        [new SearchQuery { Owner = "identity" }, (Func<ComponentDocument, bool>)(d => d.Owner == "identity")],
        [new SearchQuery { Tags = ["core"] }, (Func<ComponentDocument, bool>)(d => d.Tags!.Contains("core"))],
        [new SearchQuery { Tags = ["core", "edge"] }, (Func<ComponentDocument, bool>)(d => d.Tags!.Contains("core") && d.Tags!.Contains("edge"))],
        [new SearchQuery { Library = "polly" }, (Func<ComponentDocument, bool>)(d => d.Dependencies!.ExternalLibraries!.Any(l => l.Name == "Polly"))],
        [new SearchQuery { DependsOn = "svc-05" }, (Func<ComponentDocument, bool>)(d => d.Dependencies!.InternalModules!.Any(m => m.Name == "svc-05"))],
        [new SearchQuery { Lifecycle = Lifecycle.Deprecated }, (Func<ComponentDocument, bool>)(d => d.Lifecycle == Lifecycle.Deprecated)],
        [new SearchQuery { Owner = "payments", Tags = ["billing"], Lifecycle = Lifecycle.Production },
            (Func<ComponentDocument, bool>)(d => d.Owner == "payments" && d.Tags!.Contains("billing") && d.Lifecycle == Lifecycle.Production)],
        [new SearchQuery { Owner = "search", Library = "dapper" },
            (Func<ComponentDocument, bool>)(d => d.Owner == "search" && d.Dependencies!.ExternalLibraries!.Any(l => l.Name == "Dapper"))],
        [new SearchQuery { Owner = "nobody" }, (Func<ComponentDocument, bool>)(_ => false)],
    ];

    [TestMethod]
    [DynamicData(nameof(Filters))]
    public async Task Search_Filter_MatchesBruteForceInNameOrder(object query, object predicate)
    {
        var expected = Live.Where((Func<ComponentDocument, bool>)predicate).Select(d => d.Name!).Order(StringComparer.Ordinal).ToList();

        var actual = await All((SearchQuery)query);

        CollectionAssert.AreEqual(expected, actual);
    }

    public static IEnumerable<object[]> PagesWithAll =>
    [
        [new SearchQuery { Q = "ledger" }],
        [new SearchQuery { Q = "service" }],
        [new SearchQuery { Owner = "identity" }],
        [new SearchQuery()],
    ];

    [TestMethod]
    [DynamicData(nameof(PagesWithAll))]
    public async Task SearchWithAll_PagesMatchSearch_AndAllHoldsEveryHit(object value)
    {
        var query = (SearchQuery)value;
        var expected = await All(query, limit: 5);
        var names = new List<string>();
        string? token = null;
        IReadOnlyList<IndexEntry>? all = null;
        do
        {
            var (items, next, every) = await _sut.Search.SearchWithAllAsync(query, token, 5, scanLimit: 1000);
            names.AddRange(items.Select(i => i.Name));
            all ??= every;
            token = next;
        } while (token is not null);

        CollectionAssert.AreEqual(expected, names, "the pages (first from the one search, later ones after its token) are the search's pages");
        CollectionAssert.AreEquivalent(expected, all!.Select(e => e.Name).ToList(), "every hit, once");
    }

    [TestMethod]
    public async Task Search_Stale_UsesLaterOfReviewedAndUpdated()
    {
        var sut = TestStorage.CreateCatalog();
        var created = sut.Clock.GetUtcNow();
        await sut.Catalog.CreateAsync(Documents.Minimal("Unreviewed"), Users.Payments);
        await sut.Catalog.CreateAsync(Documents.Minimal("Reviewed Later") with { ReviewedAt = created.AddDays(40) }, Users.Payments);
        await sut.Catalog.CreateAsync(Documents.Minimal("Reviewed Before") with { ReviewedAt = created.AddDays(-40) }, Users.Payments);
        sut.Clock.Advance(TimeSpan.FromDays(sut.Options.StaleAfterDays + 10));

        var stale = (await sut.Search.SearchAsync(new SearchQuery { Stale = true }, null, 50)).Items.Select(i => i.Name).ToList();
        var fresh = (await sut.Search.SearchAsync(new SearchQuery { Stale = false }, null, 50)).Items.Select(i => i.Name).ToList();

        CollectionAssert.AreEqual(new[] { "reviewed-before", "unreviewed" }, stale);
        CollectionAssert.AreEqual(new[] { "reviewed-later" }, fresh);
    }

    [TestMethod]
    public async Task Search_FullText_RanksTitleAboveDescription_AndAndsWords()
    {
        var (items, _) = await _sut.Search.SearchAsync(new SearchQuery { Q = "ledger" }, null, 50);
        var both = await All(new SearchQuery { Q = "ledger payment" });

        var titled = Live.Where(d => d.Title!.Contains("Ledger")).Select(d => d.Name!).ToHashSet();
        var described = Live.Where(d => d.Description!.Contains("ledger")).Select(d => d.Name!).ToHashSet();
        CollectionAssert.AreEquivalent(titled.Union(described).ToList(), items.Select(i => i.Name).ToList());
        var firstDescriptionOnly = items.ToList().FindIndex(i => !titled.Contains(i.Name));
        var lastTitled = items.ToList().FindLastIndex(i => titled.Contains(i.Name) && !described.Contains(i.Name));
        Assert.IsLessThan(firstDescriptionOnly, lastTitled, "title-only hits rank above description-only hits");
        CollectionAssert.AreEquivalent(described.ToList(), both, "both words must match");
    }

    [TestMethod]
    public async Task Search_FullText_PagesWithoutDuplicates()
    {
        var all = await All(new SearchQuery { Q = "service" }, limit: 3);

        Assert.HasCount(40, all);
        Assert.HasCount(40, all.Distinct());
    }

    [TestMethod]
    public async Task Facets_CountsEqualBruteForce()
    {
        var owners = await _sut.Search.FacetAsync("owner");
        var tags = await _sut.Search.FacetAsync("tag");
        var libraries = await _sut.Search.FacetAsync("library");
        var lifecycles = await _sut.Search.FacetAsync("lifecycle");

        CollectionAssert.AreEquivalent(Live.GroupBy(d => d.Owner!).Select(g => new FacetValue(g.Key, g.Count())).ToList(), owners.ToList());
        CollectionAssert.AreEquivalent(Live.SelectMany(d => d.Tags!).GroupBy(t => t).Select(g => new FacetValue(g.Key, g.Count())).ToList(), tags.ToList());
        CollectionAssert.AreEquivalent(Live.SelectMany(d => d.Dependencies!.ExternalLibraries!.Select(l => l.Name.ToLowerInvariant()))
            .GroupBy(t => t).Select(g => new FacetValue(g.Key, g.Count())).ToList(), libraries.ToList());
        CollectionAssert.AreEquivalent(Live.GroupBy(d => d.Lifecycle!.Value.ToString().ToLowerInvariant()).Select(g => new FacetValue(g.Key, g.Count())).ToList(), lifecycles.ToList());
        Assert.IsGreaterThanOrEqualTo(owners[^1].Count, owners[0].Count, "largest first");
    }

    [TestMethod]
    public async Task ContinuationToken_ForgedTamperedOrForeign_IsRejected()
    {
        var (_, token) = await _sut.Search.SearchAsync(new SearchQuery { Owner = "identity" }, null, 2);
        Assert.IsNotNull(token);
        var tampered = token[..^2] + (token[^1] == 'A' ? "BB" : "AA");

        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Search.SearchAsync(new SearchQuery { Owner = "payments" }, token, 2));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Search.SearchAsync(new SearchQuery { Owner = "identity" }, tampered, 2));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Search.SearchAsync(new SearchQuery { Owner = "identity" }, "garbage", 2));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.Search.SearchAsync(new SearchQuery { Owner = "identity" }, "e30.e30", 2));
    }

    [TestMethod]
    [DataRow("limit=0")]
    [DataRow("limit=-1")]
    [DataRow("limit=1001")]
    [DataRow("limit=abc")]
    [DataRow("lifecycle=retired")]
    [DataRow("minScore=101")]
    [DataRow("stale=maybe")]
    [DataRow("owner=a&owner=b")]
    [DataRow("continuationToken=x.y")]
    public async Task ListFunction_BadQuery_Returns400(string query)
    {
        var functions = new SearchFunctions(_sut.Search);
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/components?" + query);

        var reply = await Reply.From(() => functions.List(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status, reply.Body);
        Assert.IsNotNull(reply.Json["errors"]);
    }

    [TestMethod]
    public async Task ListFunction_ReturnsSummariesAndToken()
    {
        var functions = new SearchFunctions(_sut.Search);
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/components?owner=identity&limit=2");

        var reply = await Reply.From(() => functions.List(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        var items = reply.Json["items"]!.AsArray();
        Assert.HasCount(2, items);
        Assert.AreEqual("svc-01", items[0]!["name"]!.GetValue<string>());
        Assert.AreEqual("identity", items[0]!["owner"]!.GetValue<string>());
        Assert.AreEqual(1, items[0]!["revision"]!.GetValue<int>());
        Assert.IsNotNull(reply.Json["continuationToken"]);
        Assert.IsNull(items[0]!["terms"], "summaries only");
    }

    [TestMethod]
    public async Task FacetsFunction_UnknownField_Returns400()
    {
        var functions = new SearchFunctions(_sut.Search);
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/facets?field=color");

        var reply = await Reply.From(() => functions.Facets(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
    }
}
