using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevHost;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>
/// Each capability the way a user meets it: curl-style calls through the dev host over the real worker.
/// Names and teams are unique per test, since the end-to-end classes share one dev host.
/// </summary>
[TestClass]
public sealed class CapabilitiesEndToEndTests
{
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await SharedDevHost.AcquireAsync();

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    private static string NewTeam() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string team, string? body = null, string? contentType = null, string? accept = null, string role = "Catalog.Writer")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Create(new DevTokenRequest { Roles = [role], Teams = [team], Subject = $"e2e-{team}" }));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
        var response = await _host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static string Corpus(string file) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "FunctionsApp.Tests", "Markdown", "Corpus", file));

    [TestMethod]
    public async Task Markdown_PostFilledTemplate_ComesBackTheSame()
    {
        var team = NewTeam();
        var name = "md-" + team;
        var markdown = Corpus("01-payments-api.md").Replace("owner: payments", $"owner: {team}\nname: {name}", StringComparison.Ordinal);

        var created = await SendAsync(HttpMethod.Post, "api/components", team, markdown, "text/markdown");
        var first = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, accept: "text/markdown");
        var put = await SendAsync(HttpMethod.Put, $"api/components/{name}", team, first.Body, "text/markdown");
        var again = await SendAsync(HttpMethod.Get, $"api/components/{name}", team, accept: "text/markdown");

        Assert.AreEqual(HttpStatusCode.Created, created.Status, created.Body);
        Assert.AreEqual(HttpStatusCode.OK, first.Status);
        StringAssert.StartsWith(first.Response.Content.Headers.ContentType!.ToString(), "text/markdown");
        StringAssert.Contains(first.Body, "## Component Name\nPayments API\n");
        Assert.AreEqual((HttpStatusCode)428, put.Status, "an existing document needs If-Match");
        Assert.AreEqual(first.Body, again.Body, "render(parse(render(d))) == render(d) through the host");
        var template = await _host.Client.GetStringAsync("api/template");
        Assert.AreEqual(File.ReadAllText(Path.Combine(RepoPaths.Root, "FunctionsApp", "Markdown", "component-doc-template.md")), template);
    }

    [TestMethod]
    public async Task SearchGraphAndQuality_ThroughTheHost()
    {
        var team = NewTeam();
        string Doc(string name, string dependsOn) => JsonSerializer.Serialize(new
        {
            name, title = $"{name} service", owner = team, description = $"The {team} {name} service does its job for everyone.",
            dependencies = new { internalModules = new[] { new { name = dependsOn, purpose = "calls" } } },
        });
        foreach (var (name, target) in new[] { ($"{team}-a", $"{team}-b"), ($"{team}-b", $"{team}-ghost") })
        {
            Assert.AreEqual(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "api/components", team, Doc(name, target))).Status);
        }

        var list = await SendAsync(HttpMethod.Get, $"api/components?owner={team}&limit=1", team, role: "Catalog.Reader");
        var text = await SendAsync(HttpMethod.Get, $"api/components?q={team}", team, role: "Catalog.Reader");
        var facets = await SendAsync(HttpMethod.Get, "api/facets?field=owner", team, role: "Catalog.Reader");
        var dependents = await SendAsync(HttpMethod.Get, $"api/components/{team}-b/dependents", team, role: "Catalog.Reader");
        var mermaid = await SendAsync(HttpMethod.Get, $"api/components/{team}-a/graph?direction=out&depth=2&format=mermaid", team, role: "Catalog.Reader");
        var quality = await SendAsync(HttpMethod.Get, $"api/components/{team}-b/quality", team, role: "Catalog.Reader");
        var badToken = await SendAsync(HttpMethod.Get, $"api/components?owner={team}&continuationToken=forged.token", team, role: "Catalog.Reader");

        var page = JsonNode.Parse(list.Body)!;
        Assert.AreEqual($"{team}-a", page["items"]![0]!["name"]!.GetValue<string>());
        var next = page["continuationToken"]!.GetValue<string>();
        var second = JsonNode.Parse((await SendAsync(HttpMethod.Get, $"api/components?owner={team}&limit=1&continuationToken={Uri.EscapeDataString(next)}", team, role: "Catalog.Reader")).Body)!;
        Assert.AreEqual($"{team}-b", second["items"]![0]!["name"]!.GetValue<string>());
        Assert.HasCount(2, JsonNode.Parse(text.Body)!["items"]!.AsArray());
        Assert.AreEqual(2, JsonNode.Parse(facets.Body)!["values"]!.AsArray().Single(v => v!["value"]!.GetValue<string>() == team)!["count"]!.GetValue<int>());
        Assert.AreEqual($"{team}-a", JsonNode.Parse(dependents.Body)!["items"]![0]!["name"]!.GetValue<string>());
        StringAssert.StartsWith(mermaid.Body, "graph LR\n");
        StringAssert.Contains(mermaid.Body, "(missing)");
        Assert.IsTrue(JsonNode.Parse(quality.Body)!["findings"]!.AsArray().Any(f => f!["rule"]!.GetValue<string>() == "unknown-reference"));
        Assert.AreEqual(HttpStatusCode.BadRequest, badToken.Status);
    }

    [TestMethod]
    public async Task ValidateAndImport_ThroughTheHost()
    {
        var team = NewTeam();
        var markdown = $"---\nowner: {team}\n---\n## Component Name\n{team} importer\n\n## Description\n[Brief description of the component's purpose]\n";

        var sarif = await SendAsync(HttpMethod.Post, "api/validate?path=docs/x.md", team, markdown, "text/markdown", "application/sarif+json", role: "Catalog.Reader");
        var import = await SendAsync(HttpMethod.Post, "api/import", team, JsonSerializer.Serialize(new { documents = new[] { new { path = "docs/x.md", markdown } } }));
        var reimport = await SendAsync(HttpMethod.Post, "api/import", team, JsonSerializer.Serialize(new { documents = new[] { new { path = "docs/x.md", markdown } } }));

        Assert.AreEqual(HttpStatusCode.OK, sarif.Status, sarif.Body);
        Assert.AreEqual("2.1.0", JsonNode.Parse(sarif.Body)!["version"]!.GetValue<string>());
        Assert.AreEqual("created", JsonNode.Parse(import.Body)!["results"]![0]!["status"]!.GetValue<string>(), import.Body);
        Assert.AreEqual("unchanged", JsonNode.Parse(reimport.Body)!["results"]![0]!["status"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task MaintenanceJob_RunOnDemand_ReportShowsTheRun()
    {
        var team = NewTeam();
        Assert.AreEqual(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "api/components", team,
            JsonSerializer.Serialize(new { name = $"{team}-orders", title = "Orders", owner = team, relatedComponents = new[] { new { name = $"{team}-nowhere", relationship = "calls" } } }))).Status);

        using var invoke = await _host.Client.PostAsync("admin/functions/DanglingCheck", new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.Accepted, invoke.StatusCode);

        JsonNode? report = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            report = JsonNode.Parse((await SendAsync(HttpMethod.Get, "api/reports/dangling", team, role: "Catalog.Reader")).Body);
            var listed = report!["items"]!.AsArray().Any(i => i!["from"]!.GetValue<string>() == $"{team}-orders");
            Assert.IsTrue(!listed || report["lastRun"] is not null, $"The report lists the run's items before the run completed: {report}");
            if (listed) break;
            await Task.Delay(200);
        }

        Assert.IsTrue(report!["items"]!.AsArray().Any(i => i!["from"]!.GetValue<string>() == $"{team}-orders"), $"No dangling item from {team}-orders within 30 s; last report: {report}");
        var item = report!["items"]!.AsArray().Single(i => i!["from"]!.GetValue<string>() == $"{team}-orders")!;
        Assert.AreEqual($"{team}-nowhere", item["to"]!.GetValue<string>());
        Assert.IsNotNull(report["lastRun"]!["finishedAt"]);
        Assert.IsGreaterThanOrEqualTo(0, report["lastRun"]!["durationMs"]!.GetValue<long>());
    }
}
