using System.Net;
using System.Text;
using ComponentCatalog.Functions;
using ComponentCatalog.OpenApi;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.OpenApi;

[TestClass]
public sealed class OpenApiFunctionsTests
{
    [TestMethod]
    public async Task GetOpenApi_Anonymous_Returns200WithTheEmbeddedDocumentVerbatim()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/openapi.json");

        var reply = await Reply.From(() => OpenApiFunctions.GetOpenApi(request, CancellationToken.None), request);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.AreEqual("application/json; charset=utf-8", reply.Header("Content-Type"));
        Assert.AreEqual(OpenApiDocument.ETag, reply.Header("ETag"));
        Assert.AreEqual(Encoding.UTF8.GetString(OpenApiDocument.Utf8.Span), reply.Body);
        Assert.AreEqual("Component Catalog API", (string?)reply.Json["info"]!["title"]);
        Assert.IsNotNull(reply.Json["paths"]!["/openapi.json"]!["get"]);
    }

    [TestMethod]
    public async Task GetOpenApi_IfNoneMatchCurrentETag_Returns304WithoutBody()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/openapi.json").WithHeader("If-None-Match", OpenApiDocument.ETag);

        var reply = await Reply.From(() => OpenApiFunctions.GetOpenApi(request, CancellationToken.None), request);

        Assert.AreEqual(HttpStatusCode.NotModified, reply.Status);
        Assert.AreEqual(OpenApiDocument.ETag, reply.Header("ETag"));
        Assert.AreEqual(string.Empty, reply.Body);
    }

    [TestMethod]
    public async Task GetOpenApi_IfNoneMatchOtherETag_Returns200()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/openapi.json").WithHeader("If-None-Match", "\"0000\"");

        var reply = await Reply.From(() => OpenApiFunctions.GetOpenApi(request, CancellationToken.None), request);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status);
        Assert.IsGreaterThan(10_000, reply.Body.Length);
    }

    [TestMethod]
    public async Task GetOpenApi_MalformedIfNoneMatch_Returns400Problem()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/openapi.json").WithHeader("If-None-Match", "no-quotes");

        var reply = await Reply.From(() => OpenApiFunctions.GetOpenApi(request, CancellationToken.None), request);

        Assert.AreEqual(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith("application/problem+json", reply.Header("Content-Type")!);
    }
}
