using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using DevHost;

namespace ComponentCatalog.Tests.Docs;

/// <summary>
/// The catalog's own component documents (docs/components) linted as <c>POST /api/validate</c> lints a Markdown
/// body: the same parser, field validation and quality rules, scored today with the default
/// <c>Catalog__StaleAfterDays</c>; references resolve against docs/components and docs/examples, as they would
/// once the dev host has loaded both.
/// </summary>
[TestClass]
public sealed class ComponentDocsTests
{
    private const int MinScore = 90;

    public TestContext TestContext { get; set; } = null!;
    private static readonly MarkdownTemplate Markdown = new();

    private static IReadOnlyList<(string Path, MarkdownParseResult Parsed)> Read(string folder) =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "docs", folder), "*.md")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(RepoPaths.Root, path), Markdown.Parse(File.ReadAllText(path))))
            .ToArray();

    private static IReadOnlyList<(string Path, MarkdownParseResult Parsed)> Components { get; } = Read("components");

    private static HashSet<string> Documented { get; } =
        Components.Concat(Read("examples")).Select(d => NameOf(d.Parsed.Document)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static string? NameOf(ComponentDocument d) => Names.NameOf(d);

    /// <summary>
    /// What <c>POST /api/validate</c> answers for the file (QualityFunctions.ValidateDocument → ComponentQuality):
    /// the parser's and the validator's findings, then the rules over the document as it would be stored (updated now).
    /// </summary>
    private static QualityReport Lint(MarkdownParseResult parsed)
    {
        var now = DateTimeOffset.UtcNow;
        return QualityRules.Evaluate(
            parsed.Document with { UpdatedAt = parsed.Document.UpdatedAt ?? now },
            Documented.Contains,
            now.AddDays(-new CatalogOptions().StaleAfterDays),
            parsed.Findings.Concat(QualityRules.FromValidation(DocumentValidator.Validate(parsed.Document))).ToList());
    }

    public static IEnumerable<object[]> Files => Components.Select(c => new object[] { c.Path });

    [TestMethod]
    public void Folder_DocumentsEveryComponentOfTheProject()
    {
        var expected = new[]
        {
            "component-catalog", "markdown-template", "quality-rules", "search-index", "component-graph", "maintenance-jobs",
            "catalog-auth", "request-security", "table-storage", "dev-host", "http-api", "catalog-cli", "catalog-website", "mcp-endpoint",
            "azure-deployment", "catalog-benchmark",
        };

        foreach (var name in expected)
        {
            Assert.Contains(name, Documented, $"docs/components has no document named '{name}'");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Lint_ComponentDoc_ValidScoreAtLeast90(string path)
    {
        var report = Lint(Components.Single(c => c.Path == path).Parsed);

        var findings = string.Join("\n", report.Findings.Select(f => $"  {f.Severity} {f.Rule} {f.Section}: {f.Message}"));
        TestContext.WriteLine($"{path}: score {report.Score}\n{findings}");
        Assert.IsTrue(report.Valid, $"{path} has error findings:\n{findings}");
        Assert.IsGreaterThanOrEqualTo(MinScore, report.Score, $"{path} scores {report.Score}:\n{findings}");
    }

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void References_ComponentDoc_EveryModuleAndRelatedComponentIsDocumented(string path)
    {
        var document = Components.Single(c => c.Path == path).Parsed.Document;
        var named = (document.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty).Select(m => m.Name)
            .Concat((document.RelatedComponents ?? EquatableList<RelatedComponent>.Empty).Select(r => r.Name))
            .ToList();

        Assert.IsNotEmpty(named, $"{path} names no internal module or related component");
        foreach (var reference in named)
        {
            Assert.Contains(IndexEntry.ReferenceName(reference), Documented,
                $"{path} names '{reference}', which is not in docs/components or docs/examples (list outside libraries under External Libraries)");
        }
        Assert.DoesNotContain(QualityRules.UnknownReference, Lint(Components.Single(c => c.Path == path).Parsed).Findings.Select(f => f.Rule).ToList());
    }

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void FileName_ComponentDoc_IsTheComponentsName(string path)
    {
        var document = Components.Single(c => c.Path == path).Parsed.Document;

        Assert.AreEqual(Path.GetFileNameWithoutExtension(path), NameOf(document), $"{path}: name the file after the component (front matter 'name:')");
        Assert.IsNotNull(document.Owner, $"{path} has no owner");
    }
}
