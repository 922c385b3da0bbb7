using DevHost;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Tests.EndToEnd;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.Security;

/// <summary>The auth middleware in the real worker behind the dev host, over HTTP, with dev tokens.</summary>
[TestClass]
public sealed class AuthEndToEndTests
{
    private static DevHostProcess _host = null!;

    private static HttpClient Client => _host.Client;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await SharedDevHost.AcquireAsync();

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    private static string Token(string role, string? team = null, string? sub = null) => DevTokens.Create(new DevTokenRequest
    {
        Roles = [role],
        Teams = team is null ? [] : [team],
        Subject = sub ?? $"e2e-{Guid.NewGuid():N}",
    });

    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer = null, string? apiKey = null, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        }
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        return request;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Client.SendAsync(request))
        {
            return response.StatusCode;
        }
    }

    [TestMethod]
    public async Task Components_WriterToken_CreatesForOwnTeamOnly()
    {
        var team = "t" + Guid.NewGuid().ToString("N")[..8];
        var writer = Token("Catalog.Writer", team);
        var name = "e2e-" + Guid.NewGuid().ToString("N")[..10];

        var own = await StatusAsync(Request(HttpMethod.Post, "api/components", writer, json: new { name, title = "E2E", owner = team, description = "x" }));
        var other = await StatusAsync(Request(HttpMethod.Post, "api/components", writer, json: new { name = name + "-b", title = "E2E", owner = "someone-else", description = "x" }));
        var readerWrite = await StatusAsync(Request(HttpMethod.Delete, $"api/components/{name}", Token("Catalog.Reader")));

        Assert.AreEqual(HttpStatusCode.Created, own);
        Assert.AreEqual(HttpStatusCode.Forbidden, other);
        Assert.AreEqual(HttpStatusCode.Forbidden, readerWrite);
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync(Request(HttpMethod.Get, $"api/components/{name}", Token("Catalog.Reader"))));
    }

    [TestMethod]
    public async Task Components_TamperedToken_Returns401InvalidTokenWithCorrelationId()
    {
        var parts = Token("Catalog.Reader").Split('.');
        var forged = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"sub":"x","roles":["Catalog.Admin"]}""")}.{parts[2]}";

        using var response = await Client.SendAsync(Request(HttpMethod.Get, "api/components", forged));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.IsTrue(response.Headers.Contains("X-Correlation-Id"));
    }

    [TestMethod]
    public async Task Components_AuthorizationAndApiKeyTogether_Returns400()
    {
        Assert.AreEqual(HttpStatusCode.BadRequest, await StatusAsync(Request(HttpMethod.Get, "api/components", Token("Catalog.Reader"), apiKey: "cck_x")));
    }

    [TestMethod]
    public async Task ApiKeys_CreateUseRevoke_AtTheContractsAdminUrl()
    {
        var admin = Token("Catalog.Admin");
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "api/admin/api-keys", admin,
            json: new { name = "e2e", roles = new[] { "Catalog.Reader" }, teams = Array.Empty<string>(), expiresAt = DateTimeOffset.UtcNow.AddDays(1) }));
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode, await created.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var key = body["key"]!.GetValue<string>();
        var id = body["id"]!.GetValue<string>();

        var used = await StatusAsync(Request(HttpMethod.Get, "api/components", apiKey: key));
        var listedByWriter = await StatusAsync(Request(HttpMethod.Get, "api/admin/api-keys", Token("Catalog.Writer", "payments")));
        var revoked = await StatusAsync(Request(HttpMethod.Delete, $"api/admin/api-keys/{id}", admin));
        var usedAfter = await StatusAsync(Request(HttpMethod.Get, "api/components", apiKey: key));

        Assert.AreEqual(HttpStatusCode.OK, used);
        Assert.AreEqual(HttpStatusCode.Forbidden, listedByWriter);
        Assert.AreEqual(HttpStatusCode.NoContent, revoked);
        Assert.AreEqual(HttpStatusCode.Unauthorized, usedAfter);
        Assert.DoesNotContain(key, _host.Output);
    }

    [TestMethod]
    public async Task RateLimit_OnePrincipalOverQuota_Gets429WithRetryAfterWhileAnotherIsServed()
    {
        var flooder = Token("Catalog.Reader", sub: "e2e-flooder-" + Guid.NewGuid().ToString("N")[..6]);
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        string? retryAfter = null;

        await Parallel.ForEachAsync(Enumerable.Range(0, 900), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Get, "api/components/none", flooder), ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        var other = await StatusAsync(Request(HttpMethod.Get, "api/components/none", Token("Catalog.Reader")));

        Assert.IsGreaterThan(0, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.IsTrue(statuses.All(s => s is HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests));
        Assert.IsNotNull(retryAfter);
        Assert.AreEqual(HttpStatusCode.NotFound, other);
    }

    [TestMethod]
    public async Task RequestLog_OneLinePerRequest_WithPrincipalAndNoToken()
    {
        var sub = "e2e-logged-" + Guid.NewGuid().ToString("N")[..6];
        var token = Token("Catalog.Reader", sub: sub);

        await StatusAsync(Request(HttpMethod.Get, "api/components/none?code=query-secret", token));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!_host.Output.Contains($"principal {sub}", StringComparison.Ordinal) && !timeout.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }

        var lines = _host.Output.Split('\n').Where(l => l.Contains($"principal {sub}", StringComparison.Ordinal)).ToList();
        Assert.IsNotEmpty(lines, $"no request log line for {sub} within 10 s; output: {_host.Output[^Math.Min(2000, _host.Output.Length)..]}");
        Assert.HasCount(1, lines);
        StringAssert.Contains(lines[0], "HTTP GetComponent GET /api/components/none → 404");
        Assert.DoesNotContain(token.Split('.')[2], _host.Output);
        Assert.DoesNotContain("query-secret", _host.Output);
    }
}
