using System.Net;
using System.Text.Json;
using ComponentCatalog.Catalog;
using ComponentCatalog.Functions;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Events;

/// <summary>The event routes as a client sees them: status, problem details, what is (not) shown.</summary>
[TestClass]
public sealed class EventsFunctionsTests
{
    private CatalogUnderTest _sut = null!;
    private EventsHarness _events = null!;
    private EventsFunctions _functions = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _sut.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        _events = new EventsHarness(_sut, allowLoopback: false, resolve: (_, _) => Task.FromResult(new[] { IPAddress.Parse("8.8.8.8") }));
        _functions = new EventsFunctions(_events.Feed, _events.Subscriptions, _events.Delivery, _events.Options);
    }

    [TestMethod]
    public async Task ListChanges_ReturnsCloudEventsAndACursor_ThatResumes()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        _events.PastHorizon();

        var first = await GetChangesAsync(null);
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        _events.PastHorizon();
        var second = await GetChangesAsync(first.Json["cursor"]!.GetValue<string>());

        Assert.AreEqual(HttpStatusCode.OK, first.Status, first.Body);
        Assert.AreEqual("payments-api", first.Json["items"]![0]!["subject"]!.GetValue<string>());
        Assert.AreEqual("1.0", first.Json["items"]![0]!["specversion"]!.GetValue<string>());
        Assert.HasCount(1, second.Json["items"]!.AsArray(), second.Body);
        Assert.AreEqual("ledger", second.Json["items"]![0]!["subject"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task ListChanges_ForeignCursor_Is400()
    {
        var reply = await GetChangesAsync("garbage");

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status, reply.Body);
        Assert.AreEqual("application/problem+json; charset=utf-8", reply.Header("Content-Type"));
    }

    [TestMethod]
    public async Task CreateSubscription_ShowsTheSecretOnce_ListingNever()
    {
        var context = FakeContext.As(Users.Admin);
        var body = JsonSerializer.Serialize(new { endpoint = "https://hooks.example.com/catalog", filter = new { types = new[] { "catalog.component.deleted" } } });
        var post = new FakeRequest(context, "POST", "/api/subscriptions", body, "application/json");

        var created = await Reply.From(() => _functions.Create(post, context, CancellationToken.None), post);
        var list = new FakeRequest(context, "GET", "/api/subscriptions");
        var listed = await Reply.From(() => _functions.List(list, context, CancellationToken.None), list);

        Assert.AreEqual(HttpStatusCode.Created, created.Status, created.Body);
        StringAssert.StartsWith(created.Json["secret"]!.GetValue<string>(), "whsec_");
        Assert.AreEqual("no-store", created.Header("Cache-Control"));
        StringAssert.StartsWith(created.Header("Location"), "/api/subscriptions/");
        Assert.AreEqual(HttpStatusCode.OK, listed.Status);
        Assert.HasCount(1, listed.Json["items"]!.AsArray());
        Assert.DoesNotContain("whsec_", listed.Body);
    }

    [TestMethod]
    [DataRow("""{"endpoint":"https://169.254.169.254/latest"}""", HttpStatusCode.BadRequest)]
    [DataRow("""{"endpoint":"http://hooks.example.com/x"}""", HttpStatusCode.BadRequest)]
    [DataRow("""{"endpoint":"https://hooks.example.com/x","filter":{"types":["catalog.component.exploded"]}}""", HttpStatusCode.BadRequest)]
    [DataRow("""{"endpoint":"https://hooks.example.com/x","unknown":1}""", HttpStatusCode.BadRequest)]
    [DataRow("""{"endpoint":"https://hooks.example.com/x","secret":"plain"}""", HttpStatusCode.BadRequest)]
    public async Task CreateSubscription_BadRequests_AreProblems(string body, HttpStatusCode expected)
    {
        var context = FakeContext.As(Users.Admin);
        var post = new FakeRequest(context, "POST", "/api/subscriptions", body, "application/json");

        var reply = await Reply.From(() => _functions.Create(post, context, CancellationToken.None), post);

        Assert.AreEqual(expected, reply.Status, reply.Body);
    }

    [TestMethod]
    public async Task OthersSubscription_Is404ForAWriter()
    {
        var (created, _) = await _events.Subscriptions.CreateAsync(
            new ComponentCatalog.Events.SubscriptionRequest("https://hooks.example.com/x", null, new ComponentCatalog.Events.SubscriptionFilterRequest(null, ["identity"], null, null), null), Users.Admin);
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "DELETE", $"/api/subscriptions/{created.Id}");

        var reply = await Reply.From(() => _functions.Delete(req, created.Id, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.NotFound, reply.Status, reply.Body);
        Assert.IsNotNull(await _events.Store.GetAsync(created.Id));
    }

    private async Task<Reply> GetChangesAsync(string? after)
    {
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/changes" + (after is null ? string.Empty : "?after=" + Uri.EscapeDataString(after)));
        return await Reply.From(() => _functions.ListChanges(req, context, CancellationToken.None), req);
    }
}
