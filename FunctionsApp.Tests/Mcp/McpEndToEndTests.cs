using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Tests.EndToEnd;
using ComponentCatalog.Tests.Support;
using DevHost;
using DevHost.Tokens;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ComponentCatalog.Tests.Mcp;

/// <summary>
/// The SDK's own MCP client (streamable HTTP) against two dev hosts that share one catalog in the test Azurite:
/// every tool, resource and prompt, compared with what the JSON API answers for the same question.
/// </summary>
[TestClass]
public sealed class McpEndToEndTests
{
    private static readonly string Team = "mcp" + Guid.NewGuid().ToString("N")[..8];
    private static DevHostProcess _a = null!;
    private static DevHostProcess _b = null!;

    /// <summary>ledger ← billing ← checkout (each depends on the one before); billing also names a missing component.</summary>
    private static readonly string Ledger = $"ledger-{Team}";
    private static readonly string Billing = $"billing-{Team}";
    private static readonly string Checkout = $"checkout-{Team}";
    private static readonly string Missing = $"ghost-{Team}";

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        var shared = new Dictionary<string, string>
        {
            ["CatalogStorage"] = TestStorage.ConnectionString,
            ["AzureWebJobsStorage"] = TestStorage.ConnectionString,
            ["Catalog__TablePrefix"] = TestStorage.NewPrefix(),
            ["Catalog__PagingKey"] = "mcp-tests-paging-key",
            ["Mcp__MaxResultChars"] = "4000",
        };
        var hosts = await Task.WhenAll(
            DevHostProcess.StartAsync(DevHostServer.Configuration, shared),
            DevHostProcess.StartAsync(DevHostServer.Configuration, shared));
        (_a, _b) = (hosts[0], hosts[1]);

        await PutAsync(Ledger, new JsonObject
        {
            ["title"] = "Ledger",
            ["description"] = "Keeps the double-entry ledger of every payment, refund and payout in one place.",
            ["tags"] = new JsonArray("core", "money"),
            ["lifecycle"] = "production",
            ["caching"] = new JsonObject { ["text"] = "Balances are cached.", ["cacheKeys"] = "balance:{account}", ["cacheDuration"] = "30 s", ["invalidationStrategy"] = "On every posting." },
        });
        await PutAsync(Billing, new JsonObject
        {
            ["title"] = "Billing",
            ["description"] = "Creates invoices and charges customers through the ledger for each subscription period.",
            ["tags"] = new JsonArray("money"),
            ["lifecycle"] = "experimental",
            ["dependencies"] = new JsonObject { ["internalModules"] = new JsonArray(new JsonObject { ["name"] = Ledger, ["purpose"] = "postings" }) },
            ["relatedComponents"] = new JsonArray(new JsonObject { ["name"] = Missing, ["relationship"] = "sends reminders" }),
            ["notes"] = new JsonObject { ["text"] = new string('x', 5000) },
        });
        await PutAsync(Checkout, new JsonObject
        {
            ["title"] = "Checkout",
            ["description"] = "Takes the basket to an order and asks billing to charge the customer right away.",
            ["dependencies"] = new JsonObject { ["internalModules"] = new JsonArray(new JsonObject { ["name"] = Billing, ["purpose"] = "charges" }) },
        });
        using var run = await _a.Client.PostAsync("admin/functions/DanglingCheck", new StringContent("{\"input\":\"\"}", Encoding.UTF8, "application/json"));
        Assert.AreEqual(HttpStatusCode.Accepted, run.StatusCode);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask());
    }

    private static string Token(string role = "Catalog.Reader") =>
        DevTokens.Create(new DevTokenRequest { Roles = [role], Teams = [Team], Subject = $"mcp-{role}-{Team}" });

    private static async Task PutAsync(string name, JsonObject document)
    {
        document["owner"] = Team;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/components/{name}") { Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("Catalog.Writer"));
        using var response = await _a.Client.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ApiAsync(string path, string? accept = null, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        using var response = await _a.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, $"{path}: {text}");
        return text;
    }

    private static Task<McpClient> ConnectAsync(DevHostProcess host, string? token = null) =>
        ConnectAsync(new HttpClient { BaseAddress = host.BaseAddress }, new Uri(host.BaseAddress, "api/mcp"), token ?? Token());

    private static async Task<McpClient> ConnectAsync(HttpClient http, Uri endpoint, string token, string? protocolVersion = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }, http, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion });
    }

    private static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static JsonNode Json(CallToolResult result)
    {
        Assert.IsFalse(result.IsError ?? false, Text(result));
        return JsonNode.Parse(result.Content.OfType<TextContentBlock>().First().Text)!;
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        await client.CallToolAsync(tool, arguments);

    private static void AssertSameJson(string expected, JsonNode? actual, string what) =>
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"{what}: API {expected}{Environment.NewLine}MCP {actual?.ToJsonString()}");

    [TestMethod]
    public async Task List_ToolsResourcesPrompts_AreAllThereWithSchemas()
    {
        await using var client = await ConnectAsync(_a);

        var tools = await client.ListToolsAsync();
        var templates = await client.ListResourceTemplatesAsync();
        var resources = await client.ListResourcesAsync();
        var prompts = await client.ListPromptsAsync();

        CollectionAssert.AreEquivalent(
            new[] { "search_components", "get_component", "get_dependents", "get_owner", "get_graph", "validate_document", "list_report_items" },
            tools.Select(t => t.Name).ToArray());
        Assert.IsTrue(tools.All(t => t.ProtocolTool.Annotations?.ReadOnlyHint == true), "every tool is read-only");
        Assert.IsTrue(tools.All(t => t.Description.Length > 40), "every tool is described");
        var getComponent = tools.Single(t => t.Name == "get_component").JsonSchema;
        Assert.AreEqual("name", getComponent.GetProperty("required")[0].GetString(), getComponent.ToString());
        CollectionAssert.AreEquivalent(new[] { "markdown", "json" },
            getComponent.GetProperty("properties").GetProperty("format").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToArray(),
            getComponent.ToString());
        Assert.AreEqual("catalog://components/{name}", templates.Single().UriTemplate);
        var uris = resources.Select(r => r.Uri).ToList();
        CollectionAssert.IsSubsetOf(new[] { "catalog://template", $"catalog://components/{Ledger}", $"catalog://components/{Checkout}" }, uris);
        CollectionAssert.AreEquivalent(new[] { "document_component", "review_component_doc" }, prompts.Select(p => p.Name).ToArray());
        Assert.AreEqual("component-catalog", client.ServerInfo?.Name);
        Assert.AreEqual("2026-07-28", client.NegotiatedProtocolVersion, "the SDK client speaks the newest revision (no initialize handshake)");
    }

    [TestMethod]
    public async Task OlderClient_InitializeHandshakeRevision_CallsToolsStatelessly()
    {
        await using var client = await ConnectAsync(new HttpClient { BaseAddress = _b.BaseAddress }, new Uri(_b.BaseAddress, "api/mcp"), Token(), "2025-11-25");

        var owner = Json(await CallAsync(client, "get_owner", new() { ["name"] = Ledger }));

        Assert.AreEqual("2025-11-25", client.NegotiatedProtocolVersion);
        Assert.AreEqual(Team, owner["owner"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task SearchComponents_SameFiltersAsApi_SameItems()
    {
        await using var client = await ConnectAsync(_a);

        var mcp = Json(await CallAsync(client, "search_components", new() { ["owner"] = Team, ["tags"] = new[] { "money" }, ["limit"] = 1 }));
        var api = await ApiAsync($"api/components?owner={Team}&tag=money&limit=1");
        var next = Json(await CallAsync(client, "search_components", new() { ["owner"] = Team, ["tags"] = new[] { "money" }, ["limit"] = 1, ["continuationToken"] = mcp["continuationToken"]!.GetValue<string>() }));
        var apiNext = await ApiAsync($"api/components?owner={Team}&tag=money&limit=1&continuationToken={Uri.EscapeDataString(mcp["continuationToken"]!.GetValue<string>())}");
        var text = Json(await CallAsync(client, "search_components", new() { ["query"] = "invoices", ["lifecycle"] = "experimental" }));

        AssertSameJson(api, mcp, "first page");
        AssertSameJson(apiNext, next, "second page");
        Assert.AreEqual(Billing, text["items"]![0]!["name"]!.GetValue<string>());
        Assert.AreEqual(1, text["items"]!.AsArray().Count, text.ToJsonString());
    }

    [TestMethod]
    public async Task GetComponent_WholeAndOneSection_MatchTheApi()
    {
        await using var client = await ConnectAsync(_a);

        var markdown = Text(await CallAsync(client, "get_component", new() { ["name"] = Ledger }));
        var json = Json(await CallAsync(client, "get_component", new() { ["name"] = Ledger, ["format"] = "json" }));
        var caching = Text(await CallAsync(client, "get_component", new() { ["name"] = Ledger, ["section"] = "caching" }));
        var cachingJson = Json(await CallAsync(client, "get_component", new() { ["name"] = Ledger, ["section"] = "Caching", ["format"] = "json" }));

        Assert.AreEqual(await ApiAsync($"api/components/{Ledger}", "text/markdown"), markdown);
        AssertSameJson(await ApiAsync($"api/components/{Ledger}"), json, "document as JSON");
        Assert.AreEqual("## Caching\nBalances are cached.\n\n- Cache Keys: balance:{account}\n- Cache Duration: 30 s\n- Invalidation Strategy: On every posting.\n", caching);
        AssertSameJson(JsonNode.Parse(await ApiAsync($"api/components/{Ledger}"))!["caching"]!.ToJsonString(), cachingJson["value"], "caching section");
    }

    [TestMethod]
    public async Task GetComponent_LongerThanTheCap_IsCutAndSaysHowToGetTheRest()
    {
        await using var client = await ConnectAsync(_a);

        var result = await CallAsync(client, "get_component", new() { ["name"] = Billing });

        Assert.IsFalse(result.IsError ?? false);
        Assert.AreEqual(2, result.Content.Count);
        Assert.AreEqual(4000, ((TextContentBlock)result.Content[0]).Text.Length);
        StringAssert.StartsWith(((TextContentBlock)result.Content[1]).Text, "[truncated: showing 4000 of ");
        StringAssert.Contains(((TextContentBlock)result.Content[1]).Text, "'section'");
    }

    [TestMethod]
    public async Task GetDependents_Transitive_MatchesTheApiWithDepths()
    {
        await using var client = await ConnectAsync(_a);

        var mcp = Json(await CallAsync(client, "get_dependents", new() { ["name"] = Ledger }));
        var direct = Json(await CallAsync(client, "get_dependents", new() { ["name"] = Ledger, ["maxDepth"] = 1 }));
        var second = Json(await CallAsync(client, "get_dependents", new() { ["name"] = Ledger, ["offset"] = 1, ["limit"] = 1 }));
        var api = JsonNode.Parse(await ApiAsync($"api/components/{Ledger}/dependents?transitive=true"))!;

        AssertSameJson(api["items"]!.ToJsonString(), mcp["items"], "dependents");
        CollectionAssert.AreEqual(new[] { Billing, Checkout }, mcp["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2 }, mcp["items"]!.AsArray().Select(i => i!["depth"]!.GetValue<int>()).ToArray());
        Assert.AreEqual(1, direct["total"]!.GetValue<int>());
        Assert.AreEqual(Checkout, second["items"]![0]!["name"]!.GetValue<string>());
        Assert.IsNull(second["nextOffset"], second.ToJsonString());
        Assert.AreEqual(2, second["total"]!.GetValue<int>());
    }

    [TestMethod]
    public async Task GetOwner_NamesTheTeamAndItsOtherComponents()
    {
        await using var client = await ConnectAsync(_a);

        var owner = Json(await CallAsync(client, "get_owner", new() { ["name"] = Billing }));
        var api = JsonNode.Parse(await ApiAsync($"api/components/{Billing}"))!;

        Assert.AreEqual(api["owner"]!.GetValue<string>(), owner["owner"]!.GetValue<string>());
        Assert.AreEqual(api["updatedBy"]!.GetValue<string>(), owner["lastChangedBy"]!.GetValue<string>());
        CollectionAssert.AreEquivalent(new[] { Ledger, Checkout }, owner["teamComponents"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        StringAssert.Contains(owner["howToReach"]!.GetValue<string>(), Team);
    }

    [TestMethod]
    public async Task GetGraph_Mermaid_IsTheApisMermaid()
    {
        await using var client = await ConnectAsync(_a);

        var mermaid = Text(await CallAsync(client, "get_graph", new() { ["name"] = Billing, ["direction"] = "both", ["depth"] = 2 }));

        Assert.AreEqual(await ApiAsync($"api/components/{Billing}/graph?direction=both&depth=2&format=mermaid"), mermaid);
        StringAssert.Contains(mermaid, Missing);
    }

    [TestMethod]
    public async Task ValidateDocument_Draft_SameFindingsAndScoreAsTheApi()
    {
        await using var client = await ConnectAsync(_a);
        var draft = $"---\nowner: {Team}\n---\n## Component Name\nDraft Thing\n\n## Description\n[Brief description of the component's purpose]\n\n## Related Components\n- {Missing}: calls\n";

        var mcp = Json(await CallAsync(client, "validate_document", new() { ["markdown"] = draft }));
        var api = await ApiAsync("api/validate", body: new StringContent(draft, Encoding.UTF8, "text/markdown"));

        AssertSameJson(api, mcp, "validate");
        Assert.IsTrue(mcp["findings"]!.AsArray().Count > 0);
    }

    [TestMethod]
    public async Task ListReportItems_Dangling_MatchesTheApiReport()
    {
        await using var client = await ConnectAsync(_a);
        var api = JsonNode.Parse(await WaitForReportAsync())!;

        var mcp = Json(await CallAsync(client, "list_report_items", new() { ["report"] = "dangling", ["limit"] = 500 }));
        var stale = Json(await CallAsync(client, "list_report_items", new() { ["report"] = "stale" }));

        AssertSameJson(api["items"]!.ToJsonString(), mcp["items"], "dangling items");
        AssertSameJson(api["lastRun"]!.ToJsonString(), mcp["lastRun"], "last run");
        Assert.IsNotNull(stale["items"]);
    }

    /// <summary>The DanglingCheck run started by the class set-up, once the report shows it finished.</summary>
    private static async Task<string> WaitForReportAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            last = await ApiAsync("api/reports/dangling");
            if (JsonNode.Parse(last)?["lastRun"]?["finishedAt"] is not null && last.Contains(Missing, StringComparison.Ordinal))
            {
                return last;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The dangling report did not show the run within 30 s; last: {last}");
        return last;
    }

    [TestMethod]
    public async Task Resources_ComponentAndTemplate_AreTheApisMarkdown()
    {
        await using var client = await ConnectAsync(_a);

        var component = await client.ReadResourceAsync($"catalog://components/{Checkout}");
        var template = await client.ReadResourceAsync("catalog://template");

        Assert.AreEqual(await ApiAsync($"api/components/{Checkout}", "text/markdown"), ((TextResourceContents)component.Contents.Single()).Text);
        Assert.AreEqual("text/markdown", component.Contents.Single().MimeType);
        Assert.AreEqual(await _a.Client.GetStringAsync("api/template"), ((TextResourceContents)template.Contents.Single()).Text);
        await Assert.ThrowsExactlyAsync<McpProtocolException>(() => client.ReadResourceAsync($"catalog://components/nope-{Team}").AsTask());
    }

    [TestMethod]
    public async Task Prompts_DocumentAndReview_CarryTemplateAndFindings()
    {
        await using var client = await ConnectAsync(_a);

        var document = await client.GetPromptAsync("document_component", new Dictionary<string, object?> { ["name"] = "new-thing", ["material"] = "class NewThing { }" });
        var review = await client.GetPromptAsync("review_component_doc", new Dictionary<string, object?> { ["name"] = Billing });
        var quality = JsonNode.Parse(await ApiAsync($"api/components/{Billing}/quality"))!;

        var documentText = ((TextContentBlock)document.Messages.Single().Content).Text;
        var reviewText = ((TextContentBlock)review.Messages.Single().Content).Text;
        StringAssert.Contains(documentText, "## Component Name");
        StringAssert.Contains(documentText, "class NewThing { }");
        StringAssert.Contains(documentText, "validate_document");
        StringAssert.Contains(reviewText, $"score is {quality["score"]}/100");
        foreach (var finding in quality["findings"]!.AsArray())
        {
            StringAssert.Contains(reviewText, finding!["rule"]!.GetValue<string>());
        }
    }

    [TestMethod]
    [DataRow("get_component", """{"name":"Not A Name"}""", "name")]
    [DataRow("get_component", """{"name":"ledger-nope"}""", "No component named")]
    [DataRow("get_component", """{}""", "name")]
    [DataRow("get_component", """{"name":"x","format":"pdf"}""", "Invalid arguments")]
    [DataRow("search_components", """{"limit":0}""", "limit")]
    [DataRow("search_components", """{"minScore":"high"}""", "Invalid arguments")]
    [DataRow("search_components", """{"continuationToken":"forged"}""", "continuationToken")]
    [DataRow("get_graph", """{"name":"x","depth":9}""", "depth")]
    [DataRow("list_report_items", """{"report":"secret"}""", "Invalid arguments")]
    [DataRow("validate_document", """{"markdown":""}""", "markdown")]
    public async Task CallTool_BadArguments_ReturnsToolErrorNamingTheProblem(string tool, string arguments, string expected)
    {
        await using var client = await ConnectAsync(_a);

        var result = await CallAsync(client, tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!);

        Assert.IsTrue(result.IsError, Text(result));
        StringAssert.Contains(Text(result), expected);
    }

    [TestMethod]
    public async Task Post_WithoutToken_Returns401WithResourceMetadataThatNamesTheIssuer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await _a.Client.SendAsync(request);
        var challenge = response.Headers.WwwAuthenticate.Single();
        var metadataUrl = challenge.Parameter!.Split('"')[1];
        using var metadata = JsonDocument.Parse(await _a.Client.GetStringAsync(metadataUrl));

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("Bearer", challenge.Scheme);
        StringAssert.StartsWith(challenge.Parameter, "resource_metadata=\"");
        Assert.AreEqual(new Uri(_a.BaseAddress, ".well-known/oauth-protected-resource/api/mcp"), new Uri(metadataUrl));
        Assert.AreEqual(new Uri(_a.BaseAddress, "api/mcp").ToString(), metadata.RootElement.GetProperty("resource").GetString());
        Assert.AreEqual("https://catalog.local/dev", metadata.RootElement.GetProperty("authorization_servers")[0].GetString());
        Assert.AreEqual("api://component-catalog/.default", metadata.RootElement.GetProperty("scopes_supported")[0].GetString());
    }

    [TestMethod]
    public async Task Connect_WithoutReaderRole_IsRefusedLikeTheApi()
    {
        var token = DevTokens.Create(new DevTokenRequest { Roles = [], Teams = [Team], Subject = "nobody" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/components/{Ledger}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var api = await _a.Client.SendAsync(request);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(_a, token));

        Assert.AreEqual(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.AreEqual(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [TestMethod]
    public async Task Reader_DeletedComponent_IsHiddenLikeInTheApi()
    {
        var name = $"gone-{Team}";
        await PutAsync(name, new JsonObject { ["title"] = "Gone", ["description"] = "A component that is deleted again right after it is written." });
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"api/components/{name}"))
        {
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("Catalog.Writer"));
            delete.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var deleted = await _a.Client.SendAsync(delete);
            Assert.AreEqual(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        await using var client = await ConnectAsync(_a);

        var read = await CallAsync(client, "get_component", new() { ["name"] = name });
        var search = Json(await CallAsync(client, "search_components", new() { ["owner"] = Team, ["limit"] = 200 }));
        using var api = new HttpRequestMessage(HttpMethod.Get, $"api/components/{name}");
        api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var apiResponse = await _a.Client.SendAsync(api);

        Assert.AreEqual(HttpStatusCode.NotFound, apiResponse.StatusCode);
        Assert.IsTrue(read.IsError);
        StringAssert.Contains(Text(read), "No component named");
        Assert.IsFalse(search["items"]!.AsArray().Any(i => i!["name"]!.GetValue<string>() == name), search.ToJsonString());
    }

    [TestMethod]
    public async Task TwoInstances_OneClient_ConsecutiveCallsAnsweredByEither()
    {
        var alternate = new AlternatingHandler(_a.BaseAddress, _b.BaseAddress);
        await using var client = await ConnectAsync(new HttpClient(alternate), new Uri(_a.BaseAddress, "api/mcp"), Token());

        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(Text(await CallAsync(client, "get_component", new() { ["name"] = Checkout, ["section"] = "Description" })));
        }
        var tools = await client.ListToolsAsync();

        Assert.IsTrue(alternate.Served[0] >= 3 && alternate.Served[1] >= 3, $"served by A {alternate.Served[0]}, by B {alternate.Served[1]}");
        Assert.AreEqual(1, answers.Distinct().Count(), string.Join(" | ", answers));
        StringAssert.Contains(answers[0], "Takes the basket to an order");
        Assert.AreEqual(7, tools.Count);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body, HttpResponseMessage Response)> RawAsync(
        HttpMethod method, string? body, string accept = "application/json, text/event-stream", IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, "api/mcp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        request.Headers.TryAddWithoutValidation("Accept", accept);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        var response = await _b.Client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response);
    }

    [TestMethod]
    public async Task RawPost_Initialize_AnswersOneServerSentEventWithoutSession()
    {
        var (status, contentType, body, response) = await RawAsync(HttpMethod.Post,
            """{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""");

        Assert.AreEqual(HttpStatusCode.OK, status, body);
        Assert.AreEqual("text/event-stream", contentType);
        Assert.IsFalse(response.Headers.Contains("Mcp-Session-Id"), "a stateless server issues no session");
        var data = body.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        using var message = JsonDocument.Parse(data);
        Assert.AreEqual(7, message.RootElement.GetProperty("id").GetInt32());
        Assert.AreEqual("2025-11-25", message.RootElement.GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.AreEqual("component-catalog", message.RootElement.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task RawPost_Notification_Returns202Empty()
    {
        var (status, contentType, body, _) = await RawAsync(HttpMethod.Post, """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2025-11-25" });

        Assert.AreEqual(HttpStatusCode.Accepted, status, body);
        Assert.IsNull(contentType);
        Assert.AreEqual(string.Empty, body);
    }

    [TestMethod]
    [DataRow("application/json", null, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", HttpStatusCode.NotAcceptable, "text/event-stream")]
    [DataRow("application/json, text/event-stream", "Mcp-Session-Id", "abc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", HttpStatusCode.BadRequest, "Mcp-Session-Id")]
    [DataRow("application/json, text/event-stream", null, null, "{\"hello\":", HttpStatusCode.BadRequest, "JSON-RPC")]
    public async Task RawPost_TransportMisused_ReturnsProblemJsonNotA500(string accept, string? header, string? value, string body, HttpStatusCode expected, string mentions)
    {
        var headers = header is null ? null : new Dictionary<string, string> { [header] = value! };

        var (status, contentType, text, _) = await RawAsync(HttpMethod.Post, body, accept, headers);

        Assert.AreEqual(expected, status, text);
        Assert.AreEqual("application/problem+json", contentType);
        StringAssert.Contains(text, mentions);
    }

    [TestMethod]
    public async Task RawPost_UnsupportedProtocolVersion_Returns400JsonRpcErrorListingTheSupported()
    {
        var (status, contentType, body, _) = await RawAsync(HttpMethod.Post, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""",
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "1999-01-01" });

        Assert.AreEqual(HttpStatusCode.BadRequest, status, body);
        Assert.AreEqual("application/json", contentType);
        using var error = JsonDocument.Parse(body);
        Assert.AreEqual(3, error.RootElement.GetProperty("id").GetInt32());
        Assert.AreEqual((int)McpErrorCode.UnsupportedProtocolVersion, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(body, "2025-11-25");
    }

    [TestMethod]
    public async Task RawPost_2026RevisionWithWrongMcpMethodHeader_Returns400HeaderMismatch()
    {
        var (status, _, body, _) = await RawAsync(HttpMethod.Post,
            """{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""",
            headers: new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2026-07-28", ["Mcp-Method"] = "tools/call" });

        Assert.AreEqual(HttpStatusCode.BadRequest, status, body);
        using var error = JsonDocument.Parse(body);
        Assert.AreEqual((int)McpErrorCode.HeaderMismatch, error.RootElement.GetProperty("error").GetProperty("code").GetInt32(), body);
    }

    [TestMethod]
    public async Task Get_StatelessServerHasNoStream_Returns405AllowPost()
    {
        var (status, _, _, response) = await RawAsync(HttpMethod.Get, null, accept: "text/event-stream");

        Assert.AreEqual(HttpStatusCode.MethodNotAllowed, status);
        Assert.AreEqual("POST", response.Content.Headers.Allow.Single());
    }

    /// <summary>Sends each request to the next instance in turn, as a load balancer without affinity would.</summary>
    private sealed class AlternatingHandler(params Uri[] instances) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _next;

        public int[] Served { get; } = new int[instances.Length];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var index = _next++ % instances.Length;
            Served[index]++;
            request.RequestUri = new Uri(instances[index], request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
