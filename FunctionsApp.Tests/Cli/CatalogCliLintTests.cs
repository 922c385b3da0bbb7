using System.Text.Json.Nodes;

namespace ComponentCatalog.Tests.Cli;

/// <summary><c>catalog lint</c> through the CLI's entry point, offline: exit codes, text, JSON and SARIF output.</summary>
[TestClass]
public sealed class CatalogCliLintTests
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal static string GoodDoc(string name, string owner = "platform", string related = "") => $"""
        ---
        name: {name}
        owner: {owner}
        reviewedAt: {Today}
        ---
        ## Component Name
        {name} service

        ## File Location
        `src/{name}`

        ## Description
        Keeps the {name} records for every team that asks, and answers lookups within milliseconds.

        ## Related Components
        {related}
        """;

    [TestMethod]
    public async Task Lint_CleanFolder_Exits0AndPrintsEachFileWithItsScore()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/a.md", GoodDoc("alpha"));
        folder.Write("docs/nested/b.md", GoodDoc("beta"));

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out, "docs/a.md — score 100, ok");
        StringAssert.Contains(result.Out, "docs/nested/b.md — score 100, ok");
        StringAssert.Contains(result.Out, "2 files: 0 errors, 0 warnings, 0 notes; all pass.");
        Assert.AreEqual(string.Empty, result.Error);
    }

    [TestMethod]
    public async Task Lint_ErrorFinding_Exits1WithFileLineSeverityRuleAndMessage()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/ok.md", GoodDoc("alpha"));
        folder.Write("docs/broken.md", GoodDoc("beta") + "\n## Description\nSaid twice, which the parser refuses.\n");

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out, "docs/broken.md — score 75, invalid");
        StringAssert.Contains(result.Out, "  docs/broken.md:12  error    duplicate-section  ");
        StringAssert.Contains(result.Out, "docs/ok.md — score 100, ok");
        Assert.IsLessThan(result.Out.IndexOf("docs/ok.md —", StringComparison.Ordinal), result.Out.IndexOf("docs/broken.md —", StringComparison.Ordinal), "files in ordinal order");
    }

    [TestMethod]
    public async Task Lint_ScoreBelowMinScore_Exits1AndAboveExits0()
    {
        using var folder = new ScratchFolder();
        folder.Write("thin.md", GoodDoc("alpha").Replace("Keeps the alpha records for every team that asks, and answers lookups within milliseconds.", "Keeps records.", StringComparison.Ordinal));

        var strict = await CliRunner.RunAsync(folder.Path, "lint", "thin.md", "--min-score", "95");
        var lenient = await CliRunner.RunAsync(folder.Path, "lint", "thin.md", "--min-score", "90");

        Assert.AreEqual(1, strict.ExitCode, strict.ToString());
        StringAssert.Contains(strict.Out, "thin.md — score 92, below --min-score 95");
        StringAssert.Contains(strict.Out, "thin.md:12  warning  description-thin");
        Assert.AreEqual(0, lenient.ExitCode, lenient.ToString());
    }

    [TestMethod]
    public async Task Lint_CrossReferences_ResolveWithinTheGivenFiles()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", GoodDoc("alpha", related: "- beta - stores for it"));
        folder.Write("b.md", GoodDoc("beta"));

        var together = await CliRunner.RunAsync(folder.Path, "lint", "a.md", "b.md", "--format", "json");
        var alone = await CliRunner.RunAsync(folder.Path, "lint", "a.md", "--format", "json");

        Assert.AreEqual(0, together.ExitCode, together.ToString());
        Assert.AreEqual(100, (int)JsonNode.Parse(together.Out)!["files"]![0]!["score"]!);
        var finding = JsonNode.Parse(alone.Out)!["files"]![0]!["findings"]![0]!;
        Assert.AreEqual("unknown-reference", (string?)finding["rule"]);
        Assert.AreEqual("info", (string?)finding["severity"]);
        Assert.AreEqual("relatedComponents", (string?)finding["section"]);
        Assert.AreEqual(15, (int)finding["line"]!, "the Related Components heading");
    }

    [TestMethod]
    public async Task Lint_Json_CarriesPathNameValidScoreAndFindings()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/payments.md", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Markdown", "Corpus", "03-partially-filled-template.md")));

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs", "--format", "json", "--min-score", "10");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        var json = JsonNode.Parse(result.Out)!;
        Assert.AreEqual(10, (int)json["minScore"]!);
        Assert.IsFalse((bool)json["valid"]!);
        var file = json["files"]![0]!;
        Assert.AreEqual("docs/payments.md", (string?)file["path"]);
        Assert.IsFalse((bool)file["valid"]!);
        var findings = file["findings"]!.AsArray();
        Assert.IsTrue(findings.Any(f => (string?)f!["rule"] == "required-section" && (string?)f["section"] == "fileLocation" && (string?)f["severity"] == "error"), result.Out);
        Assert.IsTrue(findings.All(f => (int)f!["line"]! >= 1), "every finding has a line");
    }

    [TestMethod]
    public async Task Lint_Sarif_HasTheFieldsCodeScanningNeeds()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/broken.md", GoodDoc("beta") + "\n## Description\nSaid twice.\n");
        folder.Write("docs/ok.md", GoodDoc("alpha", related: "- ghost - not there"));

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs", "--format", "sarif");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        var sarif = JsonNode.Parse(result.Out)!;
        Assert.AreEqual("2.1.0", (string?)sarif["version"]);
        Assert.AreEqual("https://json.schemastore.org/sarif-2.1.0.json", (string?)sarif["$schema"]);
        var run = sarif["runs"]!.AsArray().Single()!;
        Assert.AreEqual("component-catalog", (string?)run["tool"]!["driver"]!["name"]);
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string?)r!["id"]).ToList();
        var results = run["results"]!.AsArray();
        Assert.IsTrue(results.Count >= 2, result.Out);
        foreach (var r in results)
        {
            CollectionAssert.Contains(rules, (string?)r!["ruleId"]);
            CollectionAssert.Contains(new[] { "error", "warning", "note" }, (string?)r["level"]);
            Assert.IsFalse(string.IsNullOrWhiteSpace((string?)r["message"]!["text"]));
            var location = r["locations"]!.AsArray().Single()!["physicalLocation"]!;
            StringAssert.StartsWith((string?)location["artifactLocation"]!["uri"], "docs/");
            Assert.IsGreaterThanOrEqualTo(1, (int)location["region"]!["startLine"]!);
        }
        var duplicate = results.Single(r => (string?)r!["ruleId"] == "duplicate-section")!;
        Assert.AreEqual("error", (string?)duplicate["level"]);
        Assert.AreEqual("docs/broken.md", (string?)duplicate["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.AreEqual(12, (int)duplicate["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);
        var ghost = results.Single(r => (string?)r!["ruleId"] == "unknown-reference")!;
        Assert.AreEqual("note", (string?)ghost["level"]);
        Assert.AreEqual("docs/ok.md", (string?)ghost["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
    }

    [TestMethod]
    public async Task Lint_UnknownOptionOrFormat_IsAUsageError()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", GoodDoc("alpha"));

        var format = await CliRunner.RunAsync(folder.Path, "lint", "a.md", "--format", "xml");
        var noPaths = await CliRunner.RunAsync(folder.Path, "lint");

        Assert.AreEqual(2, format.ExitCode, format.ToString());
        StringAssert.Contains(format.Error, "xml");
        Assert.AreEqual(2, noPaths.ExitCode, noPaths.ToString());
        StringAssert.Contains(noPaths.Error, "Run 'catalog --help' for usage.");
        Assert.AreEqual(string.Empty, format.Out + noPaths.Out);
    }

    [TestMethod]
    public async Task Lint_SarifUris_AreRelativeReferencesOrFileUris()
    {
        using var folder = new ScratchFolder();
        using var outside = new ScratchFolder();
        folder.Write("my docs/a b.md", GoodDoc("alpha", related: "- ghost - gone"));
        var elsewhere = outside.Write("c.md", GoodDoc("gamma", related: "- ghost - gone"));

        var result = await CliRunner.RunAsync(folder.Path, "lint", "my docs", elsewhere, "--format", "sarif");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var uris = JsonNode.Parse(result.Out)!["runs"]![0]!["results"]!.AsArray()
            .Select(r => (string?)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]).ToList();
        CollectionAssert.AreEquivalent(new[] { "my%20docs/a%20b.md", new Uri(elsewhere).AbsoluteUri }, uris);
    }
}
