using DevHost;
using System.Net;
using System.Text.RegularExpressions;
using ComponentCatalog.OpenApi;
using ComponentCatalog.Tests.EndToEnd;

namespace ComponentCatalog.Tests.OpenApi;

/// <summary>The document through the dev host and the real worker: served anonymously, and every operation it
/// calls implemented is routed by the host (not the host's empty 404).</summary>
[TestClass]
public sealed partial class OpenApiEndToEndTests
{
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await SharedDevHost.AcquireAsync();

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    [TestMethod]
    public async Task OpenApiJson_GetWithoutCredentials_Returns200TheEmbeddedDocument()
    {
        using var response = await _host.Client.GetAsync("api/openapi.json");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(OpenApiDocument.ETag, response.Headers.ETag?.ToString());
        CollectionAssert.AreEqual(OpenApiDocument.Utf8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task OpenApiJson_IfNoneMatch_Returns304()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/openapi.json");
        request.Headers.TryAddWithoutValidation("If-None-Match", OpenApiDocument.ETag);

        using var response = await _host.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.NotModified, response.StatusCode);
    }

    [TestMethod]
    public async Task Document_EveryImplementedOperation_IsRoutedByTheHost()
    {
        var document = OpenApiSpec.Document;
        var server = (string)document["servers"]![0]!["url"]!;
        var unrouted = new List<string>();

        foreach (var operation in OpenApiSpec.Operations(document).Where(o => !o.Planned))
        {
            var path = server.TrimStart('/') + PathVariable().Replace(operation.Path, m => m.Value == "{revision}" ? "1" : "e2e-probe");
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
            using var response = await _host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.NotFound && body.Length == 0)
            {
                unrouted.Add($"{operation.Key} ({path})");
            }
        }

        Assert.IsEmpty(unrouted, "the host has no route for: " + string.Join("; ", unrouted));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathVariable();
}
