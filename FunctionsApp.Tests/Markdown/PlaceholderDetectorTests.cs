using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class PlaceholderDetectorTests
{
    [TestMethod]
    [DataRow("[Component Name]")]
    [DataRow("[Library Name] - [Purpose]")]
    [DataRow("`backend/[path/to/component]`")]
    [DataRow("[Brief description of the component's purpose]")]
    [DataRow("[module name] - [purpose]")]
    public void IsPlaceholderText_TemplateText_True(string text)
    {
        Assert.IsTrue(PlaceholderDetector.IsPlaceholderText(text));
    }

    [TestMethod]
    [DataRow("Stripe - [Purpose]")]
    [DataRow("[Stripe](https://stripe.com)")]
    [DataRow("- [ ] a task")]
    [DataRow("")]
    [DataRow(null)]
    public void IsPlaceholderText_RealContent_False(string? text)
    {
        Assert.IsFalse(PlaceholderDetector.IsPlaceholderText(text));
    }

    [TestMethod]
    public void ContainsPlaceholder_MixedText_True()
    {
        Assert.IsTrue(PlaceholderDetector.ContainsPlaceholder("Stripe - [Purpose]"));
        Assert.IsFalse(PlaceholderDetector.ContainsPlaceholder("Stripe - payments"));
    }

    [TestMethod]
    [DataRow("pass")]
    [DataRow("    pass\n")]
    [DataRow("# Example usage code")]
    [DataRow("def test_method():\n    # Test implementation")]
    [DataRow("class CustomError(Exception):\n    pass")]
    [DataRow("   \n\t")]
    [DataRow("\"\"\"\n[Method docstring]\n\"\"\"\npass\n...")]
    public void IsPlaceholderCode_TemplateExamplesAndPassOnly_True(string code)
    {
        Assert.IsTrue(PlaceholderDetector.IsPlaceholderCode(code));
    }

    [TestMethod]
    [DataRow("class PaymentDeclined(Exception):\n    pass")]
    [DataRow("print('hello')")]
    [DataRow("def test_login():\n    assert login()")]
    public void IsPlaceholderCode_RealCode_False(string code)
    {
        Assert.IsFalse(PlaceholderDetector.IsPlaceholderCode(code));
    }

    [TestMethod]
    public void IsPlaceholderCode_EveryCodeBlockOfTheTemplate_True()
    {
        var blank = new MarkdownTemplate().BlankTemplate;
        var blocks = blank.Split("```python").Skip(1).Select(part => part[..part.IndexOf("```", StringComparison.Ordinal)]).ToList();

        Assert.HasCount(9, blocks);
        foreach (var block in blocks)
        {
            Assert.IsTrue(PlaceholderDetector.IsPlaceholderCode(block), block);
        }
    }

    [TestMethod]
    public void Scan_JsonDocumentWithPlaceholders_ReportsFields()
    {
        var document = new ComponentDocument
        {
            Title = "[Component Name]",
            Description = "Real text",
            Dependencies = new DependenciesSection { ExternalLibraries = new[] { new NamedItem("Stripe", "[Purpose]") }.ToEquatableList() },
            Logging = new ContentSection { Code = new[] { new CodeBlock("python", "pass") }.ToEquatableList() },
        };

        var findings = PlaceholderDetector.Scan(document);

        Assert.AreEqual(
            "title|dependencies.externalLibraries[0].purpose|logging.code[0]",
            string.Join("|", findings.Select(f => f.Section)));
        Assert.IsTrue(findings.All(f => f.Rule == FindingRules.PlaceholderLeft && f.Severity == FindingSeverity.Warning));
    }

    [TestMethod]
    public void Parse_BlankTemplate_StoresNothingAndReportsEverySection()
    {
        var result = new MarkdownTemplate().Parse(new MarkdownTemplate().BlankTemplate);

        Assert.AreEqual(new ComponentDocument(), result.Document);
        Assert.IsFalse(result.HasErrors);
        var sections = result.Findings.Select(f => f.Section.Split('.')[0]).ToHashSet();
        foreach (var field in new[] { "title", "fileLocation", "description", "dependencies", "classStructure", "dataModels", "apiEndpoints", "database",
                     "errorHandling", "auth", "caching", "logging", "testing", "performance", "security", "usageExample", "relatedComponents", "notes" })
        {
            Assert.Contains(field, sections);
        }
    }
}
