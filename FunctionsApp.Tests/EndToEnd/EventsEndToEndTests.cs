using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Tests.Support;
using DevHost;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>
/// Change events through the dev host and the real worker, with the <c>DeliverEvents</c> timer set to once a
/// year: whatever arrives was delivered by the committing instance's own loop. The feed answers by the API's read
/// rules (docs/auth.md: readers read everything, below reader nothing).
/// </summary>
[TestClass]
public sealed class EventsEndToEndTests
{
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) =>
        _host = await DevHostProcess.StartAsync(DevHostServer.Configuration, new Dictionary<string, string>
        {
            ["Maintenance__DeliverEventsSchedule"] = "0 0 0 1 1 *",
        });

    [ClassCleanup]
    public static async Task StopAsync() => await _host.DisposeAsync();

    private static string NewTeam() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static string Token(string? role, params string[] teams) =>
        DevTokens.Create(new DevTokenRequest { Roles = role is null ? [] : [role], Teams = teams, Subject = $"e2e-{role ?? "none"}" });

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static object Document(string name, string team) =>
        new { name, title = $"{name} service", owner = team, description = $"The {name} service of {team}, for the events tests." };

    /// <summary>Every event of the feed visible to <paramref name="token"/>, from the start (bounded: 50 pages).</summary>
    private static async Task<List<JsonNode>> FeedAsync(string token)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 50; page++)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, "api/changes?limit=500" + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor)), token);
            Assert.AreEqual(HttpStatusCode.OK, status, body);
            var json = JsonNode.Parse(body)!;
            var got = json["items"]!.AsArray();
            items.AddRange(got.Select(i => i!.DeepClone()));
            cursor = json["cursor"]!.GetValue<string>();
            if (got.Count < 500) return items;
        }
        throw new AssertFailedException($"The feed did not end within 50 pages ({items.Count} events).");
    }

    [TestMethod]
    public async Task Feed_NoRoleGetsNothing_EveryReaderGetsEveryTeamsEvents_TheSameAsWritersAndAdmins()
    {
        var (teamA, teamB) = (NewTeam(), NewTeam());
        Assert.AreEqual(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "api/components", Token("Catalog.Writer", teamA), Document($"{teamA}-svc", teamA))).Status);
        Assert.AreEqual(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "api/components", Token("Catalog.Writer", teamB), Document($"{teamB}-svc", teamB))).Status);
        var reader = Token("Catalog.Reader", NewTeam());
        List<JsonNode> readerFeed = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        bool Both() => new[] { teamA, teamB }.All(t => readerFeed.Any(e => e["subject"]!.GetValue<string>() == $"{t}-svc"));
        while (!Both() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            readerFeed = await FeedAsync(reader);
        }

        var anonymous = await SendAsync(HttpMethod.Get, "api/changes", null);
        var noRole = await SendAsync(HttpMethod.Get, "api/changes", Token(null, teamA));
        var writerFeed = await FeedAsync(Token("Catalog.Writer", teamA));
        var adminFeed = await FeedAsync(Token("Catalog.Admin"));

        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.Status, anonymous.Body);
        Assert.AreEqual(HttpStatusCode.Forbidden, noRole.Status, noRole.Body);
        Assert.IsTrue(Both(), $"a reader of neither team sees both teams' events; saw {string.Join(", ", readerFeed.Select(e => e["subject"]))}");
        string Ids(List<JsonNode> feed) => string.Join(",", feed.Where(e => e["subject"]!.GetValue<string>() is var s && (s == $"{teamA}-svc" || s == $"{teamB}-svc")).Select(e => e["id"]));
        Assert.AreEqual(Ids(readerFeed), Ids(writerFeed), "a writer sees what a reader sees, in the same order");
        Assert.AreEqual(Ids(readerFeed), Ids(adminFeed), "an admin sees what a reader sees, in the same order");
    }

    [TestMethod]
    public async Task Webhook_DeliveredByTheCommittingInstance_WithTheTimerOff()
    {
        var team = NewTeam();
        await using var receiver = new WebhookReceiver();
        var (status, body) = await SendAsync(HttpMethod.Post, "api/subscriptions", Token("Catalog.Writer", team),
            new { endpoint = receiver.Url, filter = new { owners = new[] { team } } });
        Assert.AreEqual(HttpStatusCode.Created, status, body);
        receiver.Secret = JsonNode.Parse(body)!["secret"]!.GetValue<string>();

        Assert.AreEqual(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "api/components", Token("Catalog.Writer", team), Document($"{team}-svc", team))).Status);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.Accepted.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.HasCount(1, receiver.Accepted, $"delivered without the timer; the receiver saw {receiver.Requests.Count} requests");
        Assert.AreEqual("OPTIONS", receiver.Requests[0].Method, "the handshake first");
        Assert.IsTrue(receiver.Accepted[0].SignatureValid);
        Assert.AreEqual($"{team}-svc", receiver.Accepted[0].Event["subject"]!.GetValue<string>());
    }
}
