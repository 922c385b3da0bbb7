using ComponentCatalog.Errors;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class MarkdownParserTests
{
    private static readonly MarkdownTemplate Template = new();

    private static MarkdownParseResult Parse(params string[] lines) => Template.Parse(string.Join('\n', lines));

    [TestMethod]
    public void Parse_HeadingLevelsOneToThreeAnyCase_FindsSections()
    {
        var d = Parse("# COMPONENT NAME", "Billing", "## description", "Bills.", "### Usage example", "```sh", "bill --now", "```").Document;

        Assert.AreEqual("Billing", d.Title);
        Assert.AreEqual("Bills.", d.Description);
        Assert.AreEqual(new CodeBlock("sh", "bill --now"), d.UsageExample!.Code!.Single());
    }

    [TestMethod]
    public void Parse_LevelFourHeading_StaysInSectionBody()
    {
        var d = Parse("## Description", "Intro.", "", "#### Component Name", "still description").Document;

        Assert.AreEqual("Intro.\n\n#### Component Name\nstill description", d.Description);
        Assert.IsNull(d.Title);
    }

    [TestMethod]
    public void Parse_UnknownLevelThreeHeadingUnderLevelTwoSection_StaysInBody()
    {
        var d = Parse("## Description", "Intro.", "", "### Background", "Long story.").Document;

        Assert.AreEqual("Intro.\n\n### Background\nLong story.", d.Description);
        Assert.IsNull(d.ExtraSections);
    }

    [TestMethod]
    public void Parse_UnknownLevelTwoHeading_BecomesExtraSectionInOrder()
    {
        var d = Parse("## Component Name", "X", "## Zeta", "z body", "## Notes", "- Known Issues: none", "## Alpha", "", "a body  ", "").Document;

        Assert.AreEqual("Zeta|Alpha", string.Join("|", d.ExtraSections!.Select(e => e.Heading)));
        Assert.AreEqual("z body", d.ExtraSections![0].Body);
        Assert.AreEqual("a body  ", d.ExtraSections[1].Body);
        Assert.AreEqual("none", d.Notes!.KnownIssues);
    }

    [TestMethod]
    public void Parse_LeadingTitleWithoutComponentNameSection_UsesTitle()
    {
        var result = Parse("# Payments API", "", "## Description", "Moves money.");

        Assert.AreEqual("Payments API", result.Document.Title);
        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.Moved && f.Section == "title" && f.Severity == FindingSeverity.Info));
    }

    [TestMethod]
    public void Parse_LeadingTitleWithComponentNameSection_PrefersSection()
    {
        var d = Parse("# Payments API", "## Component Name", "Payments").Document;

        Assert.AreEqual("Payments", d.Title);
        Assert.IsNull(d.ExtraSections);
    }

    [TestMethod]
    public void Parse_TemplateTitleLine_IsIgnoredWithInfoFinding()
    {
        var result = Parse("# Backend Component Documentation Template", "## Component Name", "Real");

        Assert.AreEqual("Real", result.Document.Title);
        Assert.IsNull(result.Document.ExtraSections);
        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.PlaceholderLeft && f.Severity == FindingSeverity.Info));
    }

    [TestMethod]
    public void Parse_CrlfAndLoneCr_NormalisedToLf()
    {
        var d = Template.Parse("## Description\r\nline one\r\nline two\rline three\r\n## Logging\r\n```\r\na\r\nb\r\n```\r\n").Document;

        Assert.AreEqual("line one\nline two\nline three", d.Description);
        Assert.AreEqual("a\nb", d.Logging!.Code!.Single().Code);
    }

    [TestMethod]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var d = Template.Parse("\uFEFF## Component Name\nX").Document;

        Assert.AreEqual("X", d.Title);
    }

    [TestMethod]
    public void Parse_FenceInsideLongerFence_SurvivesVerbatim()
    {
        var d = Parse("## Usage Example", "`````md", "```python", "print(1)", "```", "~~~", "`````").Document;

        Assert.AreEqual(new CodeBlock("md", "```python\nprint(1)\n```\n~~~"), d.UsageExample!.Code!.Single());
    }

    [TestMethod]
    public void Parse_TildeFenceWithInfoString_KeepsLanguageAndTrailingWhitespace()
    {
        var d = Parse("## Logging", "~~~~ python title=\"log.py\" ", "x = 1   ", "", "~~~~").Document;

        Assert.AreEqual(new CodeBlock("python title=\"log.py\"", "x = 1   \n"), d.Logging!.Code!.Single());
    }

    [TestMethod]
    public void Parse_UnclosedFence_KeepsCodeAndWarns()
    {
        var result = Parse("## Logging", "```js", "console.log(1)");

        Assert.AreEqual(new CodeBlock("js", "console.log(1)"), result.Document.Logging!.Code!.Single());
        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.UnclosedFence && f.Section == "logging.code"));
    }

    [TestMethod]
    public void Parse_ProseAroundCode_KeepsProseAndCodeSeparately()
    {
        var d = Parse("## Data Models", "Before.", "```cs", "record A;", "```", "After.").Document;

        Assert.AreEqual("Before.\n\nAfter.", d.DataModels!.Text);
        Assert.AreEqual("record A;", d.DataModels.Code!.Single().Code);
    }

    [TestMethod]
    public void Parse_NestedDependencyLists_ReadsNameAndPurpose()
    {
        var d = Parse(
            "## Dependencies",
            "- External Libraries:",
            "  - Polly - retries",
            "  - Serilog",
            "  - Dapper – SQL – fast",
            "- Internal Modules:",
            "  - ledger - bookkeeping",
            "    - used for refunds too").Document;

        Assert.AreEqual(
            "Polly=retries|Serilog=|Dapper=SQL – fast",
            string.Join("|", d.Dependencies!.ExternalLibraries!.Select(i => $"{i.Name}={i.Purpose}")));
        Assert.AreEqual(new NamedItem("ledger", "bookkeeping\n- used for refunds too"), d.Dependencies.InternalModules!.Single());
    }

    [TestMethod]
    public void Parse_ProseInLabelledSection_KeptAsText()
    {
        var d = Parse("## Caching", "We cache in Redis.", "", "- Cache Keys: `k:{id}`", "- Other thing: kept").Document;

        Assert.AreEqual("`k:{id}`", d.Caching!.CacheKeys);
        Assert.AreEqual("We cache in Redis.\n\n- Other thing: kept", d.Caching.Text);
    }

    [TestMethod]
    public void Parse_MultiLineLabelValue_KeepsLinesDeindented()
    {
        var d = Parse("## Notes", "- Known Issues:", "  - slow on Mondays", "  - ```", "    code", "    ```").Document;

        Assert.AreEqual("- slow on Mondays\n- ```\n  code\n  ```", d.Notes!.KnownIssues);
    }

    [TestMethod]
    public void Parse_EndpointList_ReadsMethodRouteAndDescription()
    {
        var d = Parse("## API Endpoints", "- `get /orders/{id}` - read one", "- POST /orders", "- not an endpoint").Document;

        Assert.AreEqual(new ApiEndpoint { Method = "GET", Route = "/orders/{id}", Description = "read one" }, d.ApiEndpoints!.Endpoints![0]);
        Assert.AreEqual(new ApiEndpoint { Method = "POST", Route = "/orders" }, d.ApiEndpoints.Endpoints[1]);
        Assert.AreEqual("- not an endpoint", d.ApiEndpoints.Text);
    }

    [TestMethod]
    public void Parse_HtmlAndScript_StoredAsText()
    {
        var d = Parse("## Description", "<div onclick=\"x()\">hi</div>", "", "<script>alert(1)</script>").Document;

        Assert.AreEqual("<div onclick=\"x()\">hi</div>\n\n<script>alert(1)</script>", d.Description);
    }

    [TestMethod]
    public void Parse_DuplicateSection_ReportsErrorWithBothLines()
    {
        var result = Parse("## Description", "one", "## Logging", "x", "## description", "two");

        var finding = result.Findings.Single(f => f.Rule == FindingRules.DuplicateSection);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        Assert.AreEqual("description", finding.Section);
        Assert.Contains("lines 1 and 5", finding.Message);
        Assert.IsTrue(result.HasErrors);
    }

    [TestMethod]
    public void ParseOrThrow_DuplicateSection_ThrowsValidationWithField()
    {
        var e = Assert.ThrowsExactly<ValidationException>(() => Template.ParseOrThrow("## Description\none\n## Description\ntwo"));

        Assert.IsTrue(e.Errors.ContainsKey("description"));
        Assert.Contains("appears twice", e.Errors["description"].Single());
    }

    [TestMethod]
    public void ParseOrThrow_DuplicateLabelAndEntry_ThrowsValidationForEach()
    {
        var e = Assert.ThrowsExactly<ValidationException>(() => Template.ParseOrThrow(string.Join('\n',
            "## Dependencies", "- External Libraries:", "  - Polly - a", "  - polly - b", "## Caching", "- Cache Keys: a", "- Cache Keys: b")));

        Assert.Contains("is listed twice (lines 3 and 4)", e.Errors["dependencies.externalLibraries"].Single());
        Assert.Contains("'- Cache Keys' appears twice", e.Errors["caching.cacheKeys"].Single());
    }

    [TestMethod]
    public void Parse_DuplicateExtraSection_KeepsBothAndWarns()
    {
        var result = Parse("## FAQ", "a", "## FAQ", "b");

        Assert.AreEqual("a|b", string.Join("|", result.Document.ExtraSections!.Select(e => e.Body)));
        Assert.IsFalse(result.HasErrors);
        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.DuplicateSection && f.Severity == FindingSeverity.Warning));
    }

    [TestMethod]
    public void ParseOrThrow_CleanDocument_ReturnsDocument()
    {
        var d = Template.ParseOrThrow("## Component Name\nX\n## Caching\n- Cache Keys");

        Assert.AreEqual("X", d.Title);
        Assert.IsNull(d.Caching);
    }

    [TestMethod]
    public void Parse_FrontMatter_ReadsMetadata()
    {
        var d = Parse("---", "name: pay-api", "owner: payments", "tags: [billing, core]", "lifecycle: Deprecated", "reviewedAt: 2026-03-01T12:00:00Z", "---", "## Component Name", "Pay").Document;

        Assert.AreEqual("pay-api", d.Name);
        Assert.AreEqual("payments", d.Owner);
        Assert.AreEqual("billing|core", string.Join("|", d.Tags!));
        Assert.AreEqual(Lifecycle.Deprecated, d.Lifecycle);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), d.ReviewedAt);
        Assert.AreEqual("Pay", d.Title);
    }

    [TestMethod]
    public void ParseOrThrow_BadFrontMatter_ReportsEachKey()
    {
        var e = Assert.ThrowsExactly<ValidationException>(() => Template.ParseOrThrow(string.Join('\n',
            "---", "owner: [a, b]", "lifecycle: retired", "reviewedAt: yesterday", "revision: 3", "colour: red", "---", "## Component Name", "X")));

        Assert.AreEqual(
            "frontMatter.colour|frontMatter.lifecycle|frontMatter.owner|frontMatter.reviewedAt|frontMatter.revision",
            string.Join("|", e.Errors.Keys.Order(StringComparer.Ordinal)));
        Assert.Contains("set by the server", e.Errors["frontMatter.revision"].Single());
    }

    [TestMethod]
    public void Parse_InvalidYaml_ReportsFrontMatterError()
    {
        var result = Parse("---", "owner: [unclosed", "---", "## Component Name", "X");

        Assert.AreEqual("frontMatter", result.Findings.Single(f => f.Severity == FindingSeverity.Error).Section);
        Assert.AreEqual("X", result.Document.Title);
    }

    [TestMethod]
    public void Parse_UnclosedFrontMatter_ReportsError()
    {
        var result = Parse("---", "owner: payments", "## Component Name", "X");

        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.FrontMatter && f.Severity == FindingSeverity.Error));
    }

    [TestMethod]
    public void Parse_PreambleBeforeFirstSection_PrependedToDescription()
    {
        var d = Parse("# Payments", "", "Intro text.", "", "## Description", "Details.").Document;

        Assert.AreEqual("Intro text.\n\nDetails.", d.Description);
        Assert.AreEqual("Payments", d.Title);
    }

    [TestMethod]
    public void Parse_EmptyInput_ReturnsEmptyDocument()
    {
        var result = Template.Parse(string.Empty);

        Assert.AreEqual(new ComponentDocument(), result.Document);
        Assert.IsEmpty(result.Findings);
    }

    [TestMethod]
    public void Parse_FileLocationWithoutBackticks_KeptAsIs()
    {
        var d = Parse("## File Location", "src/x.py").Document;

        Assert.AreEqual("src/x.py", d.FileLocation);
    }

    [TestMethod]
    public void Parse_FileLocationWithDoubleBacktickSpan_Unwrapped()
    {
        var d = Parse("## File Location", "`` src/we`ird.py ``").Document;

        Assert.AreEqual("src/we`ird.py", d.FileLocation);
    }

    [TestMethod]
    public void Parse_FrontMatterDuplicateKeyAndAlias_ReportsBoth()
    {
        var result = Parse("---", "owner: a", "owner: b", "name: &n x", "tags: *n", "---", "## Component Name", "X");

        var errors = result.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Section).Order(StringComparer.Ordinal);
        Assert.AreEqual("frontMatter.owner|frontMatter.tags", string.Join("|", errors));
        Assert.AreEqual("a", result.Document.Owner);
        Assert.AreEqual("x", result.Document.Name);
    }

    [TestMethod]
    public void Parse_FrontMatterTagsAsCommaSeparatedString_ReadsList()
    {
        var d = Parse("---", "tags: billing, core", "lifecycle: ~", "---").Document;

        Assert.AreEqual("billing|core", string.Join("|", d.Tags!));
        Assert.IsNull(d.Lifecycle);
    }

    [TestMethod]
    public void Parse_FrontMatterNotAMapping_ReportsError()
    {
        var result = Parse("---", "- a", "- b", "---", "## Component Name", "X");

        Assert.AreEqual("frontMatter", result.Findings.Single(f => f.Severity == FindingSeverity.Error).Section);
    }
}
