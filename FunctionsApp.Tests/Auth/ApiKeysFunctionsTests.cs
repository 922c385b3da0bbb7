using System.Net;
using System.Reflection;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Functions;
using ComponentCatalog.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace ComponentCatalog.Tests.Auth;

/// <summary><c>/api/admin/api-keys</c> through the function methods, over real Azurite.</summary>
[TestClass]
public sealed class ApiKeysFunctionsTests
{
    private SecurityHarness _sut = null!;
    private ApiKeysFunctions _functions = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = new SecurityHarness();
        _functions = new ApiKeysFunctions(_sut.ApiKeys);
    }

    [TestCleanup]
    public void Cleanup() => _sut.Dispose();

    private string Expiry => _sut.Clock.GetUtcNow().AddDays(30).ToString("O");

    private Task<Reply> Post(string body, string contentType = "application/json")
    {
        var context = FakeContext.As(Users.Admin);
        var req = new FakeRequest(context, "POST", "/api/admin/api-keys", body, contentType);
        return Reply.From(() => _functions.Create(req, context, CancellationToken.None), req);
    }

    private Task<Reply> List()
    {
        var context = FakeContext.As(Users.Admin);
        var req = new FakeRequest(context, "GET", "/api/admin/api-keys");
        return Reply.From(() => _functions.List(req, context, CancellationToken.None), req);
    }

    private Task<Reply> Delete(string id)
    {
        var context = FakeContext.As(Users.Admin);
        var req = new FakeRequest(context, "DELETE", $"/api/admin/api-keys/{id}");
        return Reply.From(() => _functions.Revoke(req, id, context, CancellationToken.None), req);
    }

    [TestMethod]
    public async Task Post_Valid_Returns201WithIdAndKeyNotCached()
    {
        var reply = await Post($$"""{"name":"ci","roles":["Catalog.Writer"],"teams":["payments"],"expiresAt":"{{Expiry}}"}""");

        Assert.AreEqual(HttpStatusCode.Created, reply.Status, reply.Body);
        Assert.AreEqual("no-store", reply.Header("Cache-Control"));
        var key = reply.Json["key"]!.GetValue<string>();
        Assert.AreEqual($"apikey:{reply.Json["id"]!.GetValue<string>()}", (await _sut.ApiKeys.AuthenticateAsync(key))?.Id);
    }

    [TestMethod]
    [DataRow("""{"name":"ci","roles":["Catalog.Writer"],"teams":[],"expiresAt":"2027-01-01T00:00:00Z","hash":"x"}""")]
    [DataRow("""{"name":"ci","roles":"Catalog.Writer"}""")]
    [DataRow("""{"name":"ci","roles":["Catalog.God"],"expiresAt":"2027-01-01T00:00:00Z"}""")]
    [DataRow("""not json""")]
    public async Task Post_Invalid_Returns400AndStoresNothing(string body)
    {
        var reply = await Post(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status, reply.Body);
        Assert.IsEmpty(await _sut.ApiKeys.ListAsync());
    }

    [TestMethod]
    public async Task Post_NotJson_Returns415()
    {
        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, (await Post("name=ci", "application/x-www-form-urlencoded")).Status);
    }

    [TestMethod]
    public async Task Get_ListsKeysWithoutSecrets()
    {
        var created = await Post($$"""{"name":"ci","roles":["Catalog.Reader"],"teams":[],"expiresAt":"{{Expiry}}"}""");
        var key = created.Json["key"]!.GetValue<string>();

        var reply = await List();

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        var item = reply.Json["items"]!.AsArray().Single()!;
        Assert.AreEqual(created.Json["id"]!.GetValue<string>(), item["id"]!.GetValue<string>());
        Assert.IsNull(item["key"]);
        Assert.IsNull(item["hash"]);
        Assert.DoesNotContain(key[^32..], reply.Body);
    }

    [TestMethod]
    public async Task Delete_Returns204AndTheKeyIsRefusedAtOnce()
    {
        var created = await Post($$"""{"name":"ci","roles":["Catalog.Reader"],"teams":[],"expiresAt":"{{Expiry}}"}""");
        var key = created.Json["key"]!.GetValue<string>();

        var reply = await Delete(created.Json["id"]!.GetValue<string>());

        Assert.AreEqual(HttpStatusCode.NoContent, reply.Status);
        Assert.AreEqual(HttpStatusCode.Unauthorized,
            ComponentCatalog.Errors.ProblemMapper.Map((await _sut.EvaluateAsync("GetComponent", SecurityHarness.ApiKey(key))).Failure!).Status);
    }

    [TestMethod]
    public async Task Delete_Unknown_Returns404()
    {
        Assert.AreEqual(HttpStatusCode.NotFound, (await Delete("000000000000000000000000")).Status);
    }

    [TestMethod]
    public void Routes_KeepThePublicAdminUrlWithoutAReservedTemplate()
    {
        var routes = typeof(ApiKeysFunctions).GetMethods()
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route)
            .OfType<string>()
            .ToList();

        CollectionAssert.AreEquivalent(
            new[] { "api/{scope:regex(^admin$)}/api-keys", "api/{scope:regex(^admin$)}/api-keys", "api/{scope:regex(^admin$)}/api-keys/{id}" },
            routes);
        Assert.IsTrue(AccessPolicy.RequiredRoles.Where(e => e.Key.EndsWith("ApiKey", StringComparison.Ordinal) || e.Key.EndsWith("ApiKeys", StringComparison.Ordinal))
            .All(e => e.Value == CatalogRole.Admin));
    }
}
