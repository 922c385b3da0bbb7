using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Tests.EndToEnd;
using ComponentCatalog.Tests.Markdown;
using DevHost;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.Cli;

/// <summary>
/// The CLI against a dev host of its own (so the catalog holds exactly what these tests put in): offline lint
/// equals <c>POST /api/validate</c> on a corpus, push creates then leaves unchanged, get/search, and a refused token.
/// </summary>
[TestClass]
public sealed class CatalogCliHostTests
{
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _host = await DevHostServer.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await _host.DisposeAsync();

    private static string Token(string role = "Catalog.Admin", string team = "platform", TimeSpan? lifetime = null, DateTimeOffset? issued = null) =>
        DevTokens.Create(new DevTokenRequest { Roles = [role], Teams = [team], Subject = "cli-tests", Lifetime = lifetime ?? TimeSpan.FromMinutes(30) }, DevTokenSettings.FromRepository(), issued);

    private static Dictionary<string, string> Settings(string? token = null) => new()
    {
        ["CATALOG_URL"] = _host.BaseAddress.ToString().TrimEnd('/'),
        ["CATALOG_TOKEN"] = token ?? Token(),
    };

    /// <summary>
    /// At least 20 documents: the Markdown test corpus (its hard cases: numbered, bold labels, unicode, level-one
    /// headings, a half-filled template), the blank template, generated documents, and hand-made broken ones.
    /// </summary>
    private static void WriteCorpus(ScratchFolder folder)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Markdown", "Corpus"), "*.md"))
        {
            folder.Write($"corpus/{Path.GetFileName(file)}", File.ReadAllText(file));
        }
        folder.Write("corpus/template.md", File.ReadAllText(Path.Combine(RepoPaths.Root, "FunctionsApp", "Markdown", "component-doc-template.md")));
        var generator = new DocumentGenerator(40);
        var template = new MarkdownTemplate();
        for (var i = 0; i < 6; i++)
        {
            folder.Write($"corpus/generated-{i}.md", template.Render(generator.Next() with { Name = $"generated-{i}", Owner = "platform" }));
        }
        var good = CatalogCliLintTests.GoodDoc("hand-ok", related: "- generated-1 - reads it\n- nowhere-to-be-found - gone");
        folder.Write("corpus/hand-duplicate-section.md", CatalogCliLintTests.GoodDoc("hand-dup") + "\n## Description\nTwice.\n");
        folder.Write("corpus/hand-front-matter.md", "---\nowner: Not A Team\ncolour: blue\n---\n## Component Name\nHand front matter\n");
        folder.Write("corpus/hand-unclosed-fence.md", good.Replace("hand-ok", "hand-fence", StringComparison.Ordinal) + "\n## Usage Example\n```python\nprint('never closed')\n");
        folder.Write("corpus/hand-caching.md", good.Replace("hand-ok", "hand-cache", StringComparison.Ordinal) + "\n## Caching\n- Cache Keys: order:{id}\n\n## Logging\n```\nlog.info('x')\n```\n");
        folder.Write("corpus/hand-ok.md", good);
        folder.Write("corpus/hand-name-only.md", "## Component Name\nOnly A Name\n");
    }

    private static async Task<JsonNode> ValidateAsync(string markdown)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/validate") { Content = new StringContent(markdown, Encoding.UTF8, "text/markdown") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("Catalog.Reader"));
        using var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private static string Comparable(JsonNode result) => new JsonObject
    {
        ["valid"] = result["valid"]!.DeepClone(),
        ["score"] = result["score"]!.DeepClone(),
        ["findings"] = new JsonArray([.. result["findings"]!.AsArray().Select(f => (JsonNode)new JsonObject
        {
            ["rule"] = f!["rule"]!.DeepClone(),
            ["severity"] = f["severity"]!.DeepClone(),
            ["section"] = f["section"]!.DeepClone(),
            ["message"] = f["message"]!.DeepClone(),
        })]),
    }.ToJsonString();

    private static async Task AssertLintEqualsValidateAsync(ScratchFolder folder, IReadOnlyList<string> files, bool together)
    {
        var linted = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (together)
        {
            var result = await CliRunner.RunAsync(folder.Path, "lint", "corpus", "--format", "json");
            Assert.AreNotEqual(2, result.ExitCode, result.ToString());
            foreach (var file in JsonNode.Parse(result.Out)!["files"]!.AsArray())
            {
                linted[(string)file!["path"]!] = file;
            }
        }
        else
        {
            foreach (var path in files)
            {
                var result = await CliRunner.RunAsync(folder.Path, "lint", path, "--format", "json");
                Assert.AreNotEqual(2, result.ExitCode, result.ToString());
                linted[path] = JsonNode.Parse(result.Out)!["files"]![0]!;
            }
        }

        Assert.HasCount(files.Count, linted);
        foreach (var path in files)
        {
            var served = await ValidateAsync(File.ReadAllText(Path.Combine(folder.Path, path)));
            Assert.AreEqual(Comparable(served), Comparable(linted[path]), $"{path} ({(together ? "all files" : "alone")})");
            Assert.AreEqual((string?)served["name"], (string?)linted[path]["name"], path);
        }
    }

    [TestMethod]
    public async Task LintOffline_EqualsValidate_ThenPushCreatesAndRepushLeavesUnchanged()
    {
        using var folder = new ScratchFolder();
        WriteCorpus(folder);
        var files = Directory.GetFiles(Path.Combine(folder.Path, "corpus")).Select(f => "corpus/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.IsGreaterThanOrEqualTo(20, files.Count);

        await AssertLintEqualsValidateAsync(folder, files, together: false);
        var first = await CliRunner.RunAsync(folder.Path, Settings(), null, "push", "corpus", "--batch-size", "7");
        await AssertLintEqualsValidateAsync(folder, files, together: true);
        var second = await CliRunner.RunAsync(folder.Path, Settings(), null, "push", "corpus", "--batch-size", "7");

        string[] refused = ["corpus/hand-duplicate-section.md", "corpus/hand-front-matter.md", "corpus/template.md"];
        Assert.AreEqual(1, first.ExitCode, first.ToString());
        AssertSummary(first.Out, created: files.Count - refused.Length, unchanged: 0, invalid: refused.Length);
        CollectionAssert.AreEqual(refused, first.Out.Split('\n').Where(l => l.StartsWith("invalid: ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray());
        StringAssert.Contains(first.Out, "invalid: corpus/hand-duplicate-section.md — description: The section 'Description' appears twice");
        Assert.AreEqual(1, second.ExitCode, second.ToString());
        AssertSummary(second.Out, created: 0, unchanged: files.Count - refused.Length, invalid: refused.Length);
    }

    private static void AssertSummary(string output, int created, int unchanged, int invalid)
    {
        int Count(string status) => int.Parse(output.Split('\n').Single(l => l.Contains($" {status} ", StringComparison.Ordinal)).Split('│', '|').Select(c => c.Trim()).Where(c => c.Length > 0).Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(created, Count("created"), output);
        Assert.AreEqual(0, Count("updated"), output);
        Assert.AreEqual(unchanged, Count("unchanged"), output);
        Assert.AreEqual(invalid, Count("invalid"), output);
        Assert.AreEqual(0, Count("forbidden"), output);
    }

    [TestMethod]
    public async Task Push_Redirected_PrintsPlainProgressLinesThenTheSummary()
    {
        using var folder = new ScratchFolder();
        var team = "t" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            folder.Write($"docs/{team}-{i}.md", CatalogCliLintTests.GoodDoc($"{team}-{i}", owner: team));
        }

        var result = await CliRunner.RunAsync(folder.Path, Settings(Token("Catalog.Writer", team)), null, "push", "docs", "--batch-size", "2");
        var updated = await CliRunner.RunAsync(folder.Path, Settings(Token("Catalog.Writer", team)), null, "get", $"{team}-3", "--markdown");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var lines = result.Out.Split('\n');
        StringAssert.StartsWith(lines[0], $"Pushing 5 documents to {_host.BaseAddress} in 3 batches.");
        StringAssert.Matches(lines[1], new System.Text.RegularExpressions.Regex(@"^\[ 40%\] 2/5 docs · \d+ docs/s · ETA \d+:\d\d$"));
        StringAssert.StartsWith(lines[2], "[ 80%] 4/5 docs · ");
        StringAssert.Matches(lines[3], new System.Text.RegularExpressions.Regex(@"^\[100%\] 5/5 docs · \d+ docs/s · ETA 0:00$"));
        Assert.DoesNotContain("\u001b[", result.Out, "no terminal escapes when redirected");
        AssertSummary(result.Out, created: 5, unchanged: 0, invalid: 0);
        Assert.AreEqual(0, updated.ExitCode, updated.ToString());
        StringAssert.Contains(updated.Out, $"## Component Name\n{team}-3 service\n");
    }

    [TestMethod]
    public async Task Push_DryRunAndForbidden_StoreNothingAndForbiddenExits1()
    {
        using var folder = new ScratchFolder();
        var team = "t" + Guid.NewGuid().ToString("N")[..8];
        folder.Write("mine.md", CatalogCliLintTests.GoodDoc($"{team}-mine", owner: team));
        folder.Write("theirs.md", CatalogCliLintTests.GoodDoc($"{team}-theirs", owner: "someone-else"));
        var writer = Settings(Token("Catalog.Writer", team));

        var dry = await CliRunner.RunAsync(folder.Path, writer, null, "push", "mine.md", "--dry-run");
        var afterDry = await CliRunner.RunAsync(folder.Path, writer, null, "get", $"{team}-mine");
        var forbidden = await CliRunner.RunAsync(folder.Path, writer, null, "push", ".");
        var search = await CliRunner.RunAsync(folder.Path, writer, null, "search", $"{team}-mine");
        var json = await CliRunner.RunAsync(folder.Path, writer, null, "get", $"{team}-mine");

        Assert.AreEqual(0, dry.ExitCode, dry.ToString());
        StringAssert.Contains(dry.Out, "Checking 1 document to " + _host.BaseAddress + " in 1 batch (dry run: nothing is stored).");
        Assert.AreEqual(1, afterDry.ExitCode, afterDry.ToString());
        Assert.AreEqual($"catalog: No component named '{team}-mine' in the catalog at {_host.BaseAddress}.", afterDry.Error.Trim());
        Assert.AreEqual(1, forbidden.ExitCode, forbidden.ToString());
        StringAssert.Contains(forbidden.Out, "forbidden: theirs.md — owner: You may not write documents owned by 'someone-else'");
        Assert.AreEqual(0, search.ExitCode, search.ToString());
        StringAssert.Contains(search.Out, $"{team}-mine service");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        Assert.AreEqual(team, (string?)JsonNode.Parse(json.Out)!["owner"]);
    }

    [TestMethod]
    public async Task Push_ExpiredToken_OneLineNamingTheSetting()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("expired-token-doc"));
        var expired = Token(lifetime: TimeSpan.FromMinutes(5), issued: DateTimeOffset.UtcNow.AddHours(-2));

        var result = await CliRunner.RunAsync(folder.Path, Settings(expired), null, "push", "a.md");
        var anonymous = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_URL"] = _host.BaseAddress.ToString() }, null, "search", "x");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.ToString());
        StringAssert.StartsWith(lines[0], $"catalog: The catalog at {_host.BaseAddress} refused the credentials from CATALOG_TOKEN (401");
        StringAssert.EndsWith(lines[0], "): expired, revoked or meant for another catalog; get a new one.");
        Assert.AreEqual(2, anonymous.ExitCode, anonymous.ToString());
        StringAssert.StartsWith(anonymous.Error, $"catalog: The catalog at {_host.BaseAddress} needs credentials (401");
        StringAssert.EndsWith(anonymous.Error.Trim(), "): set CATALOG_TOKEN or CATALOG_API_KEY.");
    }
}
