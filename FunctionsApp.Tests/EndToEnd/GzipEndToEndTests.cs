using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DevHost;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>
/// Documents sent gzip'd (the stored form as it is) to clients whose <c>Accept-Encoding</c> allows it, through the dev
/// host over the real worker and Azurite: the gzip'd body decodes to exactly the identity body, everything else is
/// unchanged.
/// </summary>
[TestClass]
public sealed class GzipEndToEndTests
{
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await SharedDevHost.AcquireAsync();

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    private static async Task<(string Name, string Team)> CreateAsync()
    {
        var team = "t" + Guid.NewGuid().ToString("N")[..10];
        var name = "gz-" + team;
        var body = JsonSerializer.Serialize(new
        {
            name, title = "Gzip probe", owner = team, description = string.Concat(Enumerable.Repeat("A document long enough to compress well. ", 80)),
            tags = new[] { "gzip", "probe" },
        });
        using var response = await SendAsync(HttpMethod.Post, $"api/components", team, body: body);
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (name, team);
    }

    private static Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string team, string? acceptEncoding = null, string? accept = null, string? ifNoneMatch = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Writer"], Teams = [team], Subject = $"e2e-{team}" }));
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return _host.Client.SendAsync(request);
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [TestMethod]
    [DataRow(null, DisplayName = "JSON")]
    [DataRow("text/markdown", DisplayName = "Markdown")]
    public async Task Get_AcceptsGzip_GzipBodyDecodesToTheIdentityBody(string? accept)
    {
        var (name, team) = await CreateAsync();

        using var identity = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, accept: accept);
        using var gzip = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, "gzip, deflate, br", accept);
        using var again = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, "gzip", accept);
        var identityBytes = await identity.Content.ReadAsByteArrayAsync();
        var gzipBytes = await gzip.Content.ReadAsByteArrayAsync();

        Assert.AreEqual(HttpStatusCode.OK, identity.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, gzip.StatusCode);
        Assert.IsEmpty(identity.Content.Headers.ContentEncoding, "no Accept-Encoding: identity");
        CollectionAssert.AreEqual(new[] { "gzip" }, gzip.Content.Headers.ContentEncoding.ToArray());
        Assert.AreEqual(gzipBytes.Length, gzip.Content.Headers.ContentLength, "Content-Length is the compressed length");
        Assert.IsLessThan(identityBytes.Length, gzipBytes.Length, "compressed is smaller");
        CollectionAssert.AreEqual(identityBytes, Gunzip(gzipBytes), "the gzip'd body decodes to exactly the identity body");
        CollectionAssert.AreEqual(gzipBytes, await again.Content.ReadAsByteArrayAsync(), "the cached compressed form is sent as is");
        Assert.AreEqual(identity.Headers.ETag, gzip.Headers.ETag, "one ETag per revision, whatever the encoding");
        Assert.AreEqual(identity.Content.Headers.ContentType!.ToString(), gzip.Content.Headers.ContentType!.ToString());
        foreach (var response in new[] { identity, gzip })
        {
            CollectionAssert.AreEquivalent(new[] { "Accept", "Accept-Encoding" }, response.Headers.Vary.ToArray());
        }
    }

    [TestMethod]
    [DataRow("gzip;q=0")]
    [DataRow("br")]
    [DataRow("identity")]
    [DataRow("*;q=1, gzip;q=0")]
    public async Task Get_GzipNotAccepted_Identity(string acceptEncoding)
    {
        var (name, team) = await CreateAsync();

        using var response = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, acceptEncoding);
        var body = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.IsEmpty(response.Content.Headers.ContentEncoding);
        Assert.AreEqual(name, JsonDocument.Parse(body).RootElement.GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task Get_IfNoneMatchWithGzip_Returns304WithoutBodyOrEncoding()
    {
        var (name, team) = await CreateAsync();
        using var first = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, "gzip");

        using var notModified = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, "gzip", ifNoneMatch: first.Headers.ETag!.ToString());

        Assert.AreEqual(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.AreEqual(first.Headers.ETag, notModified.Headers.ETag);
        Assert.IsEmpty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.IsEmpty(notModified.Content.Headers.ContentEncoding);
    }

    [TestMethod]
    public async Task Head_WithGzip_AnswersAsWithout()
    {
        var (name, team) = await CreateAsync();

        using var plain = await SendAsync(HttpMethod.Head, $"api/components/{name}", team);
        using var gzip = await SendAsync(HttpMethod.Head, $"api/components/{name}", team, "gzip");

        Assert.AreEqual(plain.StatusCode, gzip.StatusCode, "HEAD does not depend on Accept-Encoding");
        Assert.IsEmpty(await gzip.Content.ReadAsByteArrayAsync());
    }
}
