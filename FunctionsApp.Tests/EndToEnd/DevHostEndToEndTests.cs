using DevHost;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>The real worker behind the dev host, driven over HTTP.</summary>
[TestClass]
public sealed class DevHostEndToEndTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private static DevHostProcess _host = null!;

    private static HttpClient Client => _host.Client;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await SharedDevHost.AcquireAsync();

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    [TestMethod]
    public async Task Health_Get_Returns200HealthyWithStorageOk()
    {
        using var response = await Client.GetAsync("api/health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.AreEqual("ok", body.RootElement.GetProperty("storage").GetString());
    }

    [TestMethod]
    public async Task Health_AnyCasePath_RoutesCaseInsensitively()
    {
        using var response = await Client.GetAsync("API/Health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    [DataRow("api/nope")]
    [DataRow("health")]
    [DataRow("api/components/x/revisions/not-a-number")]
    public async Task UnknownRoute_Get_Returns404Empty(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    [DataRow("DELETE")]
    [DataRow("POST")]
    public async Task Health_WrongMethod_Returns404(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/health");

        using var response = await Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    [DataRow("api/components/x")]
    [DataRow("api/components/x/revisions/1")]
    public async Task Component_NoCredentials_Returns401ProblemJson(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.IsTrue(response.Headers.TryGetValues("X-Correlation-Id", out var ids) && ids.Single().Length > 0, "X-Correlation-Id missing");
        Assert.AreEqual("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual(401, body.RootElement.GetProperty("status").GetInt32());
        Assert.AreEqual("/" + path, body.RootElement.GetProperty("instance").GetString());
    }

    [TestMethod]
    [DataRow("api/health")]
    [DataRow("api/components/x")]
    public async Task CorrelationId_Sent_IsEchoed(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Correlation-Id", "e2e-correlation-42");

        using var response = await Client.SendAsync(request);

        Assert.IsTrue(response.Headers.TryGetValues("X-Correlation-Id", out var ids), "X-Correlation-Id missing");
        Assert.AreEqual("e2e-correlation-42", ids.Single());
    }

    [TestMethod]
    public async Task TraceParent_Sent_ReachesTheFunctionAsSameTrace()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/components/x");
        request.Headers.Add("traceparent", $"00-{TraceId}-b7ad6b7169203331-01");

        using var response = await Client.SendAsync(request);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var traceParent = body.RootElement.GetProperty("traceId").GetString()!;
        Assert.MatchesRegex($"^00-{TraceId}-[0-9a-f]{{16}}-01$", traceParent);
        Assert.DoesNotContain("b7ad6b7169203331", traceParent);
    }

    [TestMethod]
    public async Task TraceParent_NotSent_FunctionGetsANewTrace()
    {
        using var response = await Client.GetAsync("api/components/x");

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.MatchesRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", body.RootElement.GetProperty("traceId").GetString()!);
    }

    [TestMethod]
    public async Task AdminInvoke_UnknownFunction_Returns404()
    {
        using var response = await Client.PostAsJsonAsync("admin/functions/Nope", new { input = "" });

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [TestMethod]
    public async Task AdminInvoke_NoBody_Returns400()
    {
        using var content = new StringContent(string.Empty, Encoding.UTF8, "application/json");

        using var response = await Client.PostAsync("admin/functions/Nope", content);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [TestMethod]
    public async Task AdminInvoke_HttpFunction_Returns400()
    {
        using var response = await Client.PostAsJsonAsync("admin/functions/Health", new { input = "" });

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [TestMethod]
    public async Task HostStatus_Get_ReportsRunning()
    {
        using var response = await Client.GetAsync("admin/host/status");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.AreEqual("Running", body.RootElement.GetProperty("state").GetString());
    }
}
