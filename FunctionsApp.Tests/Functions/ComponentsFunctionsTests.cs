using System.Net;
using ComponentCatalog.Catalog;
using ComponentCatalog.Functions;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Functions;

/// <summary>The component routes' status codes, headers and bodies, over real Azurite.</summary>
[TestClass]
public sealed class ComponentsFunctionsTests
{
    private const string ValidBody = """{"title":"Payments API","owner":"payments","description":"Takes card payments."}""";
    private CatalogUnderTest _sut = null!;
    private ComponentsFunctions _functions = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _functions = new ComponentsFunctions(_sut.Catalog, _sut.Options, new ComponentCatalog.Markdown.MarkdownTemplate());
    }

    private Task<Reply> Post(string body, string? contentType = "application/json", CatalogUser? user = null)
    {
        var context = FakeContext.As(user ?? Users.Payments);
        var req = new FakeRequest(context, "POST", "/api/components", body, contentType);
        return Reply.From(() => _functions.Create(req, context, CancellationToken.None), req);
    }

    private Task<Reply> Get(string name, string? ifNoneMatch = null)
    {
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", $"/api/components/{Uri.EscapeDataString(name)}");
        if (ifNoneMatch is not null) req.WithHeader("If-None-Match", ifNoneMatch);
        return Reply.From(() => _functions.Get(req, name, context, CancellationToken.None), req);
    }

    private Task<Reply> Put(string name, string body, string? ifMatch = null, string? ifNoneMatch = null, CatalogUser? user = null)
    {
        var context = FakeContext.As(user ?? Users.Payments);
        var req = new FakeRequest(context, "PUT", $"/api/components/{name}", body, "application/json");
        if (ifMatch is not null) req.WithHeader("If-Match", ifMatch);
        if (ifNoneMatch is not null) req.WithHeader("If-None-Match", ifNoneMatch);
        return Reply.From(() => _functions.Put(req, name, context, CancellationToken.None), req);
    }

    private Task<Reply> Patch(string name, string body, string? ifMatch, string contentType = "application/merge-patch+json")
    {
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "PATCH", $"/api/components/{name}", body, contentType);
        if (ifMatch is not null) req.WithHeader("If-Match", ifMatch);
        return Reply.From(() => _functions.Patch(req, name, context, CancellationToken.None), req);
    }

    private Task<Reply> Delete(string name)
    {
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "DELETE", $"/api/components/{name}");
        return Reply.From(() => _functions.Delete(req, name, context, CancellationToken.None), req);
    }

    private async Task AssertNothingStored()
    {
        var head = await _sut.Store.GetHeadAsync("payments-api");
        Assert.IsNull(head);
    }

    [TestMethod]
    public async Task Post_Valid_Returns201WithLocationETagAndBody()
    {
        var reply = await Post(ValidBody);

        Assert.AreEqual(HttpStatusCode.Created, reply.Status);
        Assert.AreEqual("/api/components/payments-api", reply.Header("Location"));
        Assert.AreEqual("\"1\"", reply.Header("ETag"));
        Assert.AreEqual("payments-api", reply.Json["name"]!.GetValue<string>());
        Assert.AreEqual(1, reply.Json["revision"]!.GetValue<int>());
        Assert.IsNull(reply.Json["notes"], "nulls are omitted");
    }

    [TestMethod]
    public async Task Post_NameTaken_Returns409()
    {
        await Post(ValidBody);

        var reply = await Post(ValidBody);

        Assert.AreEqual(HttpStatusCode.Conflict, reply.Status);
        Assert.AreEqual("application/problem+json; charset=utf-8", reply.Header("Content-Type"));
    }

    [TestMethod]
    public async Task Get_Existing_Returns200WithETagAndCacheControl_AndIfNoneMatch304()
    {
        await Post(ValidBody);

        var ok = await Get("payments-api");
        var notModified = await Get("payments-api", "\"1\"");

        Assert.AreEqual(HttpStatusCode.OK, ok.Status);
        Assert.AreEqual("\"1\"", ok.Header("ETag"));
        CollectionAssert.AreEquivalent(new[] { "private", "no-cache" }, ok.Header("Cache-Control")!.Split(", "));
        Assert.AreEqual("Payments API", ok.Json["title"]!.GetValue<string>());
        Assert.AreEqual(HttpStatusCode.NotModified, notModified.Status);
        Assert.AreEqual(string.Empty, notModified.Body);
    }

    [TestMethod]
    public async Task Get_Absent_Returns404Problem()
    {
        var reply = await Get("nothing-here");

        Assert.AreEqual(HttpStatusCode.NotFound, reply.Status);
        Assert.AreEqual(404, reply.Json["status"]!.GetValue<int>());
        Assert.AreEqual("/api/components/nothing-here", reply.Json["instance"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task Put_Statuses_428_412_200_201()
    {
        Assert.AreEqual(HttpStatusCode.Created, (await Put("payments-api", ValidBody)).Status);
        Assert.AreEqual((HttpStatusCode)428, (await Put("payments-api", ValidBody)).Status);
        Assert.AreEqual(HttpStatusCode.PreconditionFailed, (await Put("payments-api", ValidBody, ifMatch: "\"7\"")).Status);
        Assert.AreEqual(HttpStatusCode.PreconditionFailed, (await Put("payments-api", ValidBody, ifNoneMatch: "*")).Status);
        var ok = await Put("payments-api", ValidBody, ifMatch: "\"1\"");
        Assert.AreEqual(HttpStatusCode.OK, ok.Status);
        Assert.AreEqual("\"2\"", ok.Header("ETag"));
        Assert.AreEqual(HttpStatusCode.BadRequest, (await Put("payments-api", ValidBody, ifMatch: "2")).Status, "unquoted If-Match is malformed");
    }

    [TestMethod]
    public async Task Patch_MergePatch_Returns200_AndWrongTypeIs415()
    {
        await Post(ValidBody);

        var ok = await Patch("payments-api", """{"description":"patched"}""", "\"1\"");
        var missing = await Patch("payments-api", """{"description":"x"}""", null);
        var wrongType = await Patch("payments-api", """{"description":"x"}""", "*", "text/plain");

        Assert.AreEqual(HttpStatusCode.OK, ok.Status);
        Assert.AreEqual("patched", ok.Json["description"]!.GetValue<string>());
        Assert.AreEqual((HttpStatusCode)428, missing.Status);
        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, wrongType.Status);
    }

    [TestMethod]
    public async Task Delete_Returns204_ThenGet404_RestoreReturns200()
    {
        await Post(ValidBody);

        var deleted = await Delete("payments-api");
        var gone = await Get("payments-api");
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "POST", "/api/components/payments-api/restore");
        var restored = await Reply.From(() => _functions.Restore(req, "payments-api", context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.NoContent, deleted.Status);
        Assert.AreEqual(HttpStatusCode.NotFound, gone.Status);
        Assert.AreEqual(HttpStatusCode.OK, restored.Status);
        Assert.AreEqual(HttpStatusCode.OK, (await Get("payments-api")).Status);
    }

    [TestMethod]
    public async Task Revisions_ListNewestFirst_AndGetOne()
    {
        await Post(ValidBody);
        await Put("payments-api", ValidBody.Replace("Takes card payments.", "v2"), ifMatch: "\"1\"");
        var context = FakeContext.As(Users.Reader);
        var listReq = new FakeRequest(context, "GET", "/api/components/payments-api/revisions");
        var oneReq = new FakeRequest(context, "GET", "/api/components/payments-api/revisions/1");

        var list = await Reply.From(() => _functions.ListRevisions(listReq, "payments-api", context, CancellationToken.None), listReq);
        var one = await Reply.From(() => _functions.GetRevision(oneReq, "payments-api", 1, context, CancellationToken.None), oneReq);

        Assert.AreEqual(HttpStatusCode.OK, list.Status);
        var items = list.Json["items"]!.AsArray();
        Assert.HasCount(2, items);
        Assert.AreEqual(2, items[0]!["revision"]!.GetValue<int>());
        Assert.AreEqual("pay@test", items[0]!["updatedBy"]!.GetValue<string>());
        Assert.AreEqual("Takes card payments.", one.Json["description"]!.GetValue<string>());
        Assert.AreEqual("\"1\"", one.Header("ETag"));
    }

    [TestMethod]
    public async Task Write_WithoutUser_Returns401WithChallenge()
    {
        var context = FakeContext.As(null);
        var req = new FakeRequest(context, "POST", "/api/components", ValidBody, "application/json");

        var reply = await Reply.From(() => _functions.Create(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.Unauthorized, reply.Status);
        Assert.AreEqual("Bearer", reply.Header("WWW-Authenticate"));
    }

    [TestMethod]
    [DataRow("{\"title\":", "title", DisplayName = "malformed JSON")]
    [DataRow("[]", "body", DisplayName = "array instead of object")]
    [DataRow("null", "body", DisplayName = "JSON null")]
    [DataRow("{\"title\":\"A\",\"title\":\"B\",\"owner\":\"payments\"}", "title", DisplayName = "duplicate keys")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"revision\":3}", "revision", DisplayName = "server-owned revision")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"updatedBy\":\"me\"}", "updatedBy", DisplayName = "server-owned updatedBy")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"PartitionKey\":\"x\"}", "PartitionKey", DisplayName = "storage PartitionKey")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"odata.etag\":\"x\"}", "odata.etag", DisplayName = "storage odata.etag")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"lifecycle\":\"retired\"}", "lifecycle", DisplayName = "unknown enum")]
    [DataRow("{\"owner\":\"payments\"}", "title", DisplayName = "missing title")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"description\":\"bell\\u0007\"}", "description", DisplayName = "control character")]
    [DataRow("{\"title\":\"Payments API\",\"owner\":\"payments\",\"description\":\"\\ud800\"}", "description", DisplayName = "lone surrogate")]
    [DataRow("{\"title\":\"Payments API\",\"name\":\"Bad Name\",\"owner\":\"payments\"}", "name", DisplayName = "invalid name")]
    public async Task Post_BadInput_Returns400WithFieldAndStoresNothing(string body, string field)
    {
        var reply = await Post(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status, reply.Body);
        Assert.AreEqual("application/problem+json; charset=utf-8", reply.Header("Content-Type"));
        var errors = reply.Json["errors"]!.AsObject();
        Assert.IsTrue(errors.Any(e => e.Key.Contains(field, StringComparison.OrdinalIgnoreCase)), $"errors name {field}: {reply.Body}");
        Assert.DoesNotContain("ComponentCatalog.", reply.Body, "no type names leak");
        Assert.DoesNotContain("System.", reply.Body, "no type names leak");
        Assert.DoesNotContain("   at ", reply.Body, "no stack trace");
        await AssertNothingStored();
    }

    [TestMethod]
    public async Task Post_DeepNesting_Returns400()
    {
        var body = "{\"title\":\"Payments API\",\"owner\":\"payments\",\"extraSections\":" + new string('[', 1000) + new string(']', 1000) + "}";

        var reply = await Post(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        await AssertNothingStored();
    }

    [TestMethod]
    [DataRow(null, DisplayName = "missing content type")]
    [DataRow("text/plain", DisplayName = "text/plain")]
    [DataRow("application/xml", DisplayName = "xml")]
    public async Task Post_WrongContentType_Returns415(string? contentType)
    {
        var reply = await Post(ValidBody, contentType);

        Assert.AreEqual(HttpStatusCode.UnsupportedMediaType, reply.Status);
        await AssertNothingStored();
    }

    [TestMethod]
    public async Task Post_EmptyBody_Returns400()
    {
        var reply = await Post(string.Empty);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        Assert.IsNotNull(reply.Json["errors"]!["body"]);
    }

    [TestMethod]
    public async Task Post_OversizedBody_Returns413()
    {
        var body = ValidBody.Replace("Takes card payments.", new string('x', _sut.Options.MaxBodyBytes));

        var reply = await Post(body);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        await AssertNothingStored();
    }

    [TestMethod]
    public async Task Post_OversizedWithoutContentLength_Returns413AfterLimit()
    {
        var context = FakeContext.As(Users.Payments);
        var body = ValidBody.Replace("Takes card payments.", new string('x', _sut.Options.MaxBodyBytes));
        var req = new FakeRequest(context, "POST", "/api/components", body, "application/json");
        req.Headers.Remove("Content-Length");

        var reply = await Reply.From(() => _functions.Create(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.IsLessThanOrEqualTo(_sut.Options.MaxBodyBytes + 81920L, req.Body.Position, "stopped reading shortly past the limit");
    }

    [TestMethod]
    public async Task Put_BodyNameDisagreesWithUrl_Returns400()
    {
        var reply = await Put("payments-api", """{"name":"other","title":"Payments API","owner":"payments"}""");

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        Assert.IsNotNull(reply.Json["errors"]!["name"]);
        await AssertNothingStored();
    }

    [TestMethod]
    [DataRow("Bad/Name")]
    [DataRow("x#y")]
    [DataRow("x' or PartitionKey ne '")]
    [DataRow("tab\tname")]
    public async Task Get_InvalidName_Returns400(string name)
    {
        var reply = await Get(name);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
    }
}
