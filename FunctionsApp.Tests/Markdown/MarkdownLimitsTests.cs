using System.Text;
using ComponentCatalog.Errors;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

/// <summary>Pathological input is refused or parsed, never hangs or crashes (the timeouts are hang guards, not benchmarks).</summary>
[TestClass]
public sealed class MarkdownLimitsTests
{
    private static readonly MarkdownTemplate Template = new();

    [TestMethod]
    [Timeout(60_000)]
    public void ParseOrThrow_HundredThousandNestedQuotes_IsRefusedAsValidation()
    {
        var markdown = "## Description\n" + new string('>', 100_000) + " deep\n";

        var e = Assert.ThrowsExactly<ValidationException>(() => Template.ParseOrThrow(markdown));

        Assert.IsTrue(e.Errors.ContainsKey("body"));
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_HundredThousandNestedListItems_IsRefusedWithFinding()
    {
        var markdown = "## Notes\n" + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x\n";

        var result = Template.Parse(markdown);

        Assert.AreEqual(FindingRules.TooDeep, result.Findings.Single(f => f.Severity == FindingSeverity.Error).Rule);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_HundredThousandOpenBrackets_KeepsThemAsText()
    {
        var brackets = new string('[', 100_000);

        var result = Template.Parse("## Description\n" + brackets + "\n");

        Assert.AreEqual(brackets, result.Document.Description);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_OneMegabyteSingleLine_KeepsIt()
    {
        var line = new string('a', 1_000_000);

        var result = Template.Parse("## Description\n" + line);

        Assert.AreEqual(line, result.Document.Description);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_NestedLinksAndEmphasis_ParsesAsText()
    {
        var text = string.Concat(Enumerable.Repeat("[a](", 50_000)) + string.Concat(Enumerable.Repeat("*_", 50_000));

        var result = Template.Parse("## Description\n" + text);

        Assert.AreEqual(text, result.Document.Description);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void RoundTrip_DocumentNear512KiBWithNonAscii_SurvivesIntact()
    {
        var builder = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(builder.ToString()) < 500 * 1024)
        {
            builder.Append("Zeile mit Umlauten äöü, 日本語, emoji 🚀 and code `x`.\n");
        }
        var document = new ComponentDocument
        {
            Title = "Big",
            Description = builder.ToString().TrimEnd(),
            UsageExample = new ContentSection { Code = new[] { new CodeBlock("text", builder.ToString()) }.ToEquatableList() },
        };

        var parsed = Template.Parse(Template.Render(document)).Document;

        Assert.AreEqual(document, parsed);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_ThousandsOfSections_ReportsDuplicatesWithoutBlowingUp()
    {
        var markdown = string.Concat(Enumerable.Repeat("## Notes\n- Known Issues: x\n", 5_000));

        var result = Template.Parse(markdown);

        Assert.AreEqual(4_999, result.Findings.Count(f => f.Rule == FindingRules.DuplicateSection));
        Assert.AreEqual("x", result.Document.Notes!.KnownIssues);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_HugeFrontMatter_IsRefused()
    {
        var markdown = "---\nowner: " + new string('a', FrontMatter.MaxLength + 1) + "\n---\n## Component Name\nX";

        var result = Template.Parse(markdown);

        Assert.AreEqual("frontMatter", result.Findings.Single(f => f.Severity == FindingSeverity.Error).Section);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_YamlAliasBomb_IsBounded()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var result = Template.Parse("---\n" + yaml + "---\n## Component Name\nX");

        Assert.IsTrue(result.HasErrors);
        Assert.AreEqual("X", result.Document.Title);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_DeeplyNestedYamlFlowCollections_IsRefused()
    {
        var yaml = "owner: " + new string('[', 16_000) + new string(']', 16_000);

        var result = Template.Parse("---\n" + yaml + "\n---\n## Component Name\nX");

        Assert.AreEqual("frontMatter", result.Findings.Single(f => f.Severity == FindingSeverity.Error).Section);
        Assert.AreEqual("X", result.Document.Title);
    }

    [TestMethod]
    [Timeout(60_000)]
    public void Parse_DeeplyNestedYamlBlockSequences_IsRefused()
    {
        var yaml = "tags:\n" + string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', 2 * i + 2) + "-\n")) + "  x";

        var result = Template.Parse("---\n" + yaml + "\n---\n## Component Name\nX");

        Assert.IsTrue(result.HasErrors);
        Assert.AreEqual("X", result.Document.Title);
    }
}
