using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Tests.EndToEnd;
using ComponentCatalog.Tests.Support;
using Deque.AxeCore.Playwright;
using DevHost;
using DevHost.Tokens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ComponentCatalog.Tests.Web;

/// <summary>
/// The website in real Chromium through the dev host (one host, one browser for the class; a fresh browser context
/// per test). Documents are seeded through the JSON API under a team unique to the test. With
/// <c>UPDATE_SCREENSHOTS=1</c> the tests also write the README's pictures to docs/screenshots/.
/// </summary>
[TestClass]
public sealed class WebBrowserTests
{
    private static readonly bool UpdateScreenshots = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1";
    private static DevHostProcess _host = null!;
    private static IPlaywright _playwright = null!;
    private static IBrowser _browser = null!;
    private readonly List<IBrowserContext> _contexts = [];

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _host = await SharedDevHost.AcquireAsync();
        (_playwright, _browser) = await BrowserFixture.LaunchAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        // Null when the class never started (a failed start must not hide behind a cleanup error).
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_host is not null) await SharedDevHost.ReleaseAsync();
    }

    [TestCleanup]
    public async Task CloseContextsAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
    }

    private static string NewTeam() => "w" + Guid.NewGuid().ToString("N")[..10];

    private static string Corpus(string file) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "FunctionsApp.Tests", "Markdown", "Corpus", file));

    /// <summary>The complete sample document (every template section) as <paramref name="name"/> of <paramref name="team"/>, its references renamed.</summary>
    private static string FullDocument(string team, string name, string dependency, string missing) =>
        Corpus("01-payments-api.md")
            .Replace("owner: payments", $"owner: {team}\nname: {name}", StringComparison.Ordinal)
            .Replace("ledger-client - ", $"{dependency} - ", StringComparison.Ordinal)
            .Replace("fraud-score - ", $"{missing} - ", StringComparison.Ordinal)
            .Replace("ledger-service - ", $"{dependency} - ", StringComparison.Ordinal)
            .Replace("checkout-web - ", $"{missing} - ", StringComparison.Ordinal);

    private static string SmallDocument(string team, string name, string title, string tags, string caching = "- Cache Keys: `order:{id}`\n- Cache Duration: 5 minutes\n- Invalidation Strategy: dropped on every write") =>
        $"---\nowner: {team}\nname: {name}\ntags: [{tags}]\nlifecycle: production\n---\n# {title}\n\n## Component Name\n{title}\n\n## File Location\n`src/{name}`\n\n"
        + $"## Description\n{title} keeps the orders of the shop consistent for every team that reads them.\n\n## Caching\n{caching}\n";

    private static async Task<JsonNode> ApiAsync(HttpMethod method, string path, string team, string? body = null, string contentType = "text/markdown", string? ifMatch = null, string role = "Catalog.Writer")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Create(new DevTokenRequest { Roles = [role], Teams = [team], Subject = "seed-" + team }));
        request.Headers.Accept.ParseAdd("application/json");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) Assert.Fail($"{method} {path} → {(int)response.StatusCode}: {text}");
        var json = JsonNode.Parse(text)!;
        if (response.Headers.ETag is { } etag) json["_etag"] = etag.ToString();
        return json;
    }

    private Task<IPage> SignedInAsync(string role, params string[] teams) => SignedInOnAsync(_host, role, teams);

    private async Task<IPage> SignedInOnAsync(DevHostProcess host, string role, params string[] teams)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#user", "web-" + (teams.FirstOrDefault() ?? "reader"));
        await page.SelectOptionAsync("#role", role);
        await page.FillAsync("#teams", string.Join(",", teams));
        await page.ClickAsync("form.signin button[type=submit]");
        await Expect(page.Locator(".who .user")).ToContainTextAsync(role);
        return page;
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        if (!UpdateScreenshots) return;
        var path = Path.Combine(RepoPaths.Root, "docs", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.WriteLine($"wrote {path}");
    }

    [TestMethod]
    public async Task Search_FacetNarrowsTheResults_AndTheUrlRoundTrips()
    {
        var team = NewTeam();
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-orders", "Orders API", "orders, web"));
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-carts", "Carts API", "orders"));
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-email", "Email Sender", "mail"));
        var page = await SignedInAsync("Catalog.Reader", team);

        await page.GotoAsync($"/?owner={team}");
        await Expect(page.Locator(".result")).ToHaveCountAsync(3);
        await page.ClickAsync(".facet a[data-facet=tag][data-value=orders]");

        await Expect(page.Locator(".result")).ToHaveCountAsync(2);
        StringAssert.Contains(page.Url, "tag=orders");
        StringAssert.Contains(page.Url, $"owner={team}");
        await ScreenshotAsync(page, "search");
        var shared = page.Url;
        var other = await (await _browser.NewContextAsync(new() { BaseURL = _host.BaseAddress.ToString() })).NewPageAsync();
        _contexts.Add(other.Context);
        await other.Context.AddCookiesAsync((await page.Context.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        await other.GotoAsync(shared);
        await Expect(other.Locator(".result-title")).ToHaveTextAsync(["Carts API", "Orders API"]);
        await Expect(other.Locator(".facet a[data-value=orders]")).ToHaveAttributeAsync("aria-current", "true");

        await page.FillAsync("#q", "email");
        await Expect(page.Locator(".result")).ToHaveCountAsync(0); // "email" and tag=orders exclude each other
        await page.GotoAsync($"/?owner={team}");
        await page.Locator("#q").PressSequentiallyAsync("sender");
        await Expect(page.Locator(".result-title")).ToHaveTextAsync(["Email Sender"]);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=sender"));
    }

    [TestMethod]
    public async Task ComponentPage_ShowsEverySectionInTemplateOrder_TheGraph_AndMarksDanglingReferences()
    {
        var team = NewTeam();
        var (name, dependency, missing) = ($"{team}-payments", $"{team}-ledger", $"{team}-nowhere");
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, dependency, "Ledger", "core"));
        await ApiAsync(HttpMethod.Post, "api/components", team, FullDocument(team, name, dependency, missing)
            .Replace("        await ledger.RecordAsync(charge, ct);", "        await ledger.RecordAsync(charge, ct); // then \"recorded\"", StringComparison.Ordinal));
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-checkout", "Checkout", "web")
            + $"\n## Dependencies\n- Internal Modules:\n  - {name} - takes the payments\n");
        var page = await SignedInAsync("Catalog.Reader", team);

        await page.GotoAsync($"/components/{name}");

        string[] template =
        [
            "Component Name", "File Location", "Description", "Dependencies", "Class/Function Structure", "Data Models", "API Endpoints",
            "Database Interactions", "Error Handling", "Authentication/Authorization", "Caching", "Logging", "Testing",
            "Performance Considerations", "Security", "Usage Example", "Related Components", "Notes",
        ];
        await Expect(page.Locator(".doc-section > h2")).ToHaveTextAsync(template);
        await Expect(page.Locator(".toc a")).ToHaveCountAsync(template.Length);
        await Expect(page.Locator("svg .node[data-node]")).ToHaveCountAsync(4);
        foreach (var node in new[] { name, dependency, missing, $"{team}-checkout" })
        {
            await Expect(page.Locator($"svg .node[data-node='{node}']")).ToHaveCountAsync(1);
        }
        await Expect(page.Locator($"svg .node.missing[data-node='{missing}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($".refs .missing-ref[data-missing='{missing}']").First).ToBeVisibleAsync();
        await Expect(page.Locator($".refs a[href='/components/{dependency}']").First).ToBeVisibleAsync();
        await Expect(page.Locator(".side")).ToContainTextAsync($"{team}-checkout");
        await Expect(page.Locator(".finding a[href^='#s-']").First).ToBeVisibleAsync();
        await Expect(page.Locator("pre.hl code.language-csharp .keyword").First).ToBeVisibleAsync();
        await Expect(page.Locator("pre.hl code.language-csharp :is(.string, .comment)").First).ToBeAttachedAsync();
        var colours = await page.EvaluateAsync<string[]>(
            "() => [getComputedStyle(document.querySelector('pre.hl code.language-csharp')).color, "
            + "getComputedStyle(document.querySelector('pre.hl code.language-csharp .keyword')).color, "
            + "getComputedStyle(document.querySelector('pre.hl code.language-csharp :is(.string, .comment)')).color]");
        Assert.AreNotEqual(colours[0], colours[1], "a C# keyword is coloured unlike plain code text");
        Assert.AreNotEqual(colours[0], colours[2], "a C# string or comment is coloured unlike plain code text");
        await ScreenshotAsync(page, "component");

        await page.ClickAsync($"svg a[data-node='{dependency}']");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/components/{dependency}$"));
    }

    [TestMethod]
    public async Task Diff_BetweenTwoRevisions_ShowsOnlyTheChangedSections()
    {
        var team = NewTeam();
        var name = $"{team}-orders";
        var created = await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, name, "Orders API", "orders"));
        await ApiAsync(HttpMethod.Put, $"api/components/{name}", team,
            SmallDocument(team, name, "Orders API", "orders", "- Cache Keys: `order:{id}`\n- Cache Duration: 10 minutes\n- Invalidation Strategy: dropped on every write"),
            ifMatch: (string)created["_etag"]!);
        var page = await SignedInAsync("Catalog.Reader", team);

        await page.GotoAsync($"/components/{name}/history");
        await page.ClickAsync("button:has-text('Show diff')");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("from=1&to=2"));
        await Expect(page.Locator(".diff-section h2")).ToHaveCountAsync(1);
        await Expect(page.Locator(".diff-section")).ToHaveAttributeAsync("data-section", "Caching");
        await Expect(page.Locator(".diff-section .add")).ToContainTextAsync("10 minutes");
        await Expect(page.Locator(".diff-section .del")).ToContainTextAsync("5 minutes");
    }

    [TestMethod]
    public async Task Edit_AFindingAppearsWhileTyping_ThenSaveMakesTheNextRevision()
    {
        var team = NewTeam();
        var name = $"{team}-orders";
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, name, "Orders API", "orders"));
        var page = await SignedInAsync("Catalog.Writer", team);
        await page.GotoAsync($"/components/{name}");
        await page.ClickAsync("a.button:has-text('Edit')");
        await Expect(page.Locator("#preview .doc-section").First).ToBeVisibleAsync();
        await Expect(page.Locator("#findings")).Not.ToContainTextAsync("invalidation strategy");

        var text = await page.InputValueAsync("#markdown");
        await page.FillAsync("#markdown", text.Replace("- Invalidation Strategy: dropped on every write\n", string.Empty, StringComparison.Ordinal));
        await Expect(page.Locator("#findings")).ToContainTextAsync("invalidation strategy");
        await page.Locator("#markdown").PressAsync("End");
        await page.FillAsync("#markdown", text.Replace("dropped on every write", "dropped when an order changes", StringComparison.Ordinal));
        await Expect(page.Locator("#findings")).Not.ToContainTextAsync("invalidation strategy");
        await Expect(page.Locator("#preview")).ToContainTextAsync("dropped when an order changes");
        await ScreenshotAsync(page, "edit");
        await page.ClickAsync("#save");

        await Expect(page.Locator("#status")).ToContainTextAsync("Saved revision 2");
        var stored = await ApiAsync(HttpMethod.Get, $"api/components/{name}", team);
        Assert.AreEqual(2, (int)stored["revision"]!);
        StringAssert.Contains(stored["caching"]!["invalidationStrategy"]!.GetValue<string>(), "when an order changes");
    }

    [TestMethod]
    public async Task TwoEditors_TheSecondSeesTheConflict_MergesAndSaves()
    {
        var team = NewTeam();
        var name = $"{team}-orders";
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, name, "Orders API", "orders"));
        var first = await SignedInAsync("Catalog.Writer", team);
        var second = await SignedInAsync("Catalog.Writer", team);
        await first.GotoAsync($"/components/{name}/edit");
        await second.GotoAsync($"/components/{name}/edit");
        var original = await second.InputValueAsync("#markdown");

        await first.FillAsync("#markdown", original.Replace("5 minutes", "7 minutes", StringComparison.Ordinal));
        await first.ClickAsync("#save");
        await Expect(first.Locator("#status")).ToContainTextAsync("Saved revision 2");
        await second.FillAsync("#markdown", original.Replace("dropped on every write", "dropped by the order events", StringComparison.Ordinal));
        await second.ClickAsync("#save");

        await Expect(second.Locator("#conflict")).ToBeVisibleAsync();
        await Expect(second.Locator("#conflict-diff")).ToContainTextAsync("7 minutes");
        await Expect(second.Locator("#status")).ToContainTextAsync("Not saved");
        var mine = await second.InputValueAsync("#markdown");
        await second.FillAsync("#markdown", mine.Replace("5 minutes", "7 minutes", StringComparison.Ordinal));
        await second.ClickAsync("#save");

        await Expect(second.Locator("#status")).ToContainTextAsync("Saved revision 3");
        var stored = await ApiAsync(HttpMethod.Get, $"api/components/{name}", team);
        Assert.AreEqual("7 minutes", stored["caching"]!["cacheDuration"]!.GetValue<string>());
        Assert.AreEqual("dropped by the order events", stored["caching"]!["invalidationStrategy"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task HostileDocument_NeverRunsScript_OnAnyPage()
    {
        var team = NewTeam();
        var name = $"{team}-evil";
        const string Payload = "<script>window.__xss='script'</script><img src=x onerror=\"window.__xss='img'\"><svg onload=\"window.__xss='svg'\"></svg>"
            + " [click me](javascript:window.__xss='link') [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) \"]);window.__xss='label';//";
        var document = new JsonObject
        {
            ["name"] = name,
            ["title"] = "Evil <script>window.__xss='title'</script><img src=x onerror=\"window.__xss='title'\">",
            ["owner"] = team,
            ["fileLocation"] = Payload,
            ["description"] = Payload + " " + Payload,
            ["tags"] = new JsonArray("evil"),
            ["caching"] = new JsonObject { ["cacheKeys"] = Payload, ["cacheDuration"] = Payload, ["invalidationStrategy"] = Payload },
            ["notes"] = new JsonObject { ["knownIssues"] = Payload },
            ["dependencies"] = new JsonObject { ["internalModules"] = new JsonArray(new JsonObject { ["name"] = "x\"]);window.__xss='graph';//", ["purpose"] = Payload }) },
            ["relatedComponents"] = new JsonArray(new JsonObject { ["name"] = $"{team}-other", ["relationship"] = Payload }),
        };
        var created = await ApiAsync(HttpMethod.Post, "api/components", team, document.ToJsonString(), "application/json");
        document["description"] = "changed " + Payload;
        await ApiAsync(HttpMethod.Put, $"api/components/{name}", team, document.ToJsonString(), "application/json", ifMatch: (string)created["_etag"]!);
        var page = await SignedInAsync("Catalog.Writer", team);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };

        foreach (var path in new[] { $"/components/{name}", $"/?q=evil&owner={team}", $"/components/{name}/history", $"/components/{name}/diff?from=1&to=2", $"/components/{name}/edit", $"/graph?team={team}" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.AreEqual(0, await page.Locator("a[href^='javascript:' i], a[href^='data:' i], [onerror], [onload]").CountAsync(), path);
            Assert.AreEqual(0, await page.Locator("script:not([src^='/assets/'])").CountAsync(), path + ": only the app's own script files");
            Assert.IsTrue(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), $"{path}: script ran ({await page.EvaluateAsync<string>("() => String(window.__xss)")})");
        }
        await page.GotoAsync($"/components/{name}");
        await page.Locator("a:has-text('click me')").First.ClickAsync();
        Assert.IsTrue(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), "the javascript: link ran");
        Assert.IsEmpty(dialogs, string.Join("; ", dialogs));
        await Expect(page.Locator(".doc").First).ToContainTextAsync("<script>window.__xss='script'</script>");
    }

    [TestMethod]
    public async Task Keyboard_ReachesSearchResultsAndTheEditor()
    {
        var team = NewTeam();
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-keyboard", "Keyboard Service", "keys"));
        var page = await SignedInAsync("Catalog.Writer", team);
        await page.GotoAsync($"/?owner={team}");

        await TabUntilAsync(page, "#q");
        await page.Keyboard.TypeAsync("keyboard");
        await Expect(page.Locator(".result-title")).ToHaveTextAsync(["Keyboard Service"]);
        await TabUntilAsync(page, ".result-title");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/components/{team}-keyboard$"));
        await TabUntilAsync(page, "a.button[href$='/edit']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/edit$"));
        await TabUntilAsync(page, "#markdown");
        await TabUntilAsync(page, "#save");
    }

    /// <summary>Presses Tab (at most 80 times) until the focused element matches <paramref name="selector"/>.</summary>
    private static async Task TabUntilAsync(IPage page, string selector)
    {
        var seen = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector)) return;
            seen.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? e.tagName + (e.id ? '#' + e.id : '') + (e.getAttribute('href') ? '[' + e.getAttribute('href') + ']' : '') : 'none'; }"));
        }
        Assert.Fail($"Tab never reached {selector}; focus went through: {string.Join(" → ", seen)}");
    }

    [TestMethod]
    public async Task Accessibility_EveryPage_HasNoSeriousOrCriticalAxeViolation()
    {
        var team = NewTeam();
        var name = $"{team}-payments";
        await ApiAsync(HttpMethod.Post, "api/components", team, SmallDocument(team, $"{team}-ledger", "Ledger", "core"));
        var created = await ApiAsync(HttpMethod.Post, "api/components", team, FullDocument(team, name, $"{team}-ledger", $"{team}-nowhere"));
        await ApiAsync(HttpMethod.Patch, $"api/components/{name}", team, """{"description":"Takes card payments for every shop of the group, with refunds."}""", "application/merge-patch+json", ifMatch: (string)created["_etag"]!);
        var page = await SignedInAsync("Catalog.Writer", team);
        var problems = new List<string>();

        foreach (var path in new[] { "/", $"/?owner={team}", $"/components/{name}", $"/components/{name}/history", $"/components/{name}/diff?from=1&to=2", $"/components/{name}/edit", "/new", $"/graph?team={team}", "/signin", "/components/nothing-here" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var results = await page.RunAxe();
            problems.AddRange(results.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}"));
            if (path == $"/graph?team={team}") await ScreenshotAsync(page, "graph");
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public async Task Overview_QualityTrend_IsAnAccessibleLineWithTheSameNumbersAsATable()
    {
        // Its own host over tables this test can seed: the quality-trend series is one per catalog.
        var prefix = TestStorage.NewPrefix();
        await using var host = await DevHostProcess.StartAsync(DevHostServer.Configuration, new Dictionary<string, string>
        {
            ["CatalogStorage"] = TestStorage.ConnectionString,
            ["AzureWebJobsStorage"] = TestStorage.ConnectionString,
            ["Catalog__TablePrefix"] = prefix,
        });
        var team = NewTeam();
        var options = TestStorage.Options(prefix);
        var jobs = new ComponentCatalog.Storage.JobStore(new ComponentCatalog.Storage.CatalogTables(TestStorage.ServiceClient(options), options));
        (string Day, double Overall, double Team)[] series = [("2026-11-01", 62.5, 40), ("2026-11-02", 70, 55), ("2026-11-03", 68.2, 60), ("2026-11-04", 81.3, 75)];
        await jobs.WriteSeriesRowsAsync("quality-trend", "seed", series.Select(p => (p.Day, (object)new
        {
            day = p.Day,
            overall = new { average = p.Overall, count = 12 },
            owners = new Dictionary<string, object> { [team] = new { average = p.Team, count = 3 } },
        })));
        var page = await SignedInOnAsync(host, "Catalog.Reader", team);

        await page.GotoAsync("/graph");

        var chart = page.Locator("figure.trend svg[role=img]");
        await Expect(chart.Locator("circle.point")).ToHaveCountAsync(4);
        await Expect(chart.Locator("title#trend-title")).ToHaveTextAsync("Average quality score of the catalog per snapshot");
        await Expect(chart.Locator("desc#trend-desc")).ToHaveTextAsync(
            "4 snapshots from 2026-11-01 to 2026-11-04: 62.5 to 81.3; lowest 62.5 on 2026-11-01, highest 81.3 on 2026-11-04.");
        var tops = await chart.Locator("circle.point").EvaluateAllAsync<double[]>("points => points.map(p => p.getBoundingClientRect().top)");
        Assert.IsTrue(tops[3] < tops[1] && tops[1] < tops[2] && tops[2] < tops[0], $"a higher score is drawn higher: {string.Join(", ", tops)}");
        await Expect(chart.Locator("polyline.line")).ToBeVisibleAsync();
        await page.ClickAsync(".trend-data summary");
        await Expect(page.Locator(".trend-data tbody tr")).ToHaveTextAsync(["2026-11-0162.512", "2026-11-027012", "2026-11-0368.212", "2026-11-0481.312"]);
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ToList();
        Assert.IsEmpty(serious, string.Join("\n", serious));

        await page.GotoAsync($"/graph?team={team}");
        await Expect(chart.Locator("desc#trend-desc")).ToContainTextAsync("40 to 75");
        await Expect(chart.Locator("title#trend-title")).ToHaveTextAsync($"Average quality score of team {team} per snapshot");
    }

    [TestMethod]
    public async Task SignedOut_PageRedirectsToSignIn_AndTheApiIgnoresTheCookieWithoutTheCsrfHeader()
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _host.BaseAddress.ToString() });
        _contexts.Add(context);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/graph");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl=%2Fgraph$"));

        var team = NewTeam();
        var signedIn = await SignedInAsync("Catalog.Reader", team);
        var withoutHeader = await signedIn.EvaluateAsync<int>("async () => (await fetch('/api/components')).status");
        var withHeader = await signedIn.EvaluateAsync<int>(
            "async () => (await fetch('/api/components', { headers: { 'X-Catalog-Csrf': document.querySelector('meta[name=csrf-token]').content } })).status");
        Assert.AreEqual(401, withoutHeader, "the session cookie alone must not authenticate an API call");
        Assert.AreEqual(200, withHeader);
        var cookies = await signedIn.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "catalog_session");
        Assert.IsTrue(session.HttpOnly && session.SameSite == SameSiteAttribute.Lax, "session cookie flags (Secure too, except over http to loopback)");
    }
}
