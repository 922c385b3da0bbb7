using ComponentCatalog.Model;
using ComponentCatalog.Quality;

namespace ComponentCatalog.Tests.Quality;

[TestClass]
public sealed class QualityRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StaleBefore = Now.AddDays(-180);

    /// <summary>A document that satisfies every rule.</summary>
    internal static ComponentDocument Clean() => new()
    {
        Name = "orders-api",
        Title = "Orders API",
        Owner = "commerce",
        FileLocation = "backend/orders/api",
        Description = "Accepts, prices and tracks customer orders for the web shop and the mobile apps.",
        ReviewedAt = Now.AddDays(-3),
        UpdatedAt = Now.AddDays(-3),
        Dependencies = new DependenciesSection { InternalModules = new[] { new NamedItem("inventory", "reserves stock") }.ToEquatableList() },
        ApiEndpoints = new ApiEndpointsSection
        {
            Endpoints = new[] { new ApiEndpoint { Method = "POST", Route = "/orders" } }.ToEquatableList(),
            Code = new[] { new CodeBlock("csharp", "app.MapPost(\"/orders\", Create);") }.ToEquatableList(),
        },
        ErrorHandling = new ErrorHandlingSection { CustomExceptions = new ContentSection { Text = "OrderRejectedException → 422" } },
        Auth = new AuthSection { RequiredPermissions = "orders.write" },
        Security = new SecuritySection { InputValidation = "FluentValidation on every body" },
        Caching = new CachingSection { CacheKeys = "order:{id}", CacheDuration = "60 s", InvalidationStrategy = "On every write" },
        RelatedComponents = new[] { new RelatedComponent("Payments API", "charges through") }.ToEquatableList(),
    };

    private static readonly HashSet<string> Catalog = ["inventory", "payments-api"];

    private static QualityReport Evaluate(ComponentDocument d) => QualityRules.Evaluate(d, Catalog.Contains, StaleBefore);

    [TestMethod]
    public void Evaluate_CleanDocument_NoFindingsScore100()
    {
        var report = Evaluate(Clean());

        Assert.IsEmpty(report.Findings, string.Join("; ", report.Findings));
        Assert.AreEqual(100, report.Score);
        Assert.IsTrue(report.Valid);
    }

    public static IEnumerable<object[]> Breaks =>
    [
        ["required-section", "title", Clean() with { Title = null }],
        ["required-section", "description", Clean() with { Description = " " }],
        ["required-section", "fileLocation", Clean() with { FileLocation = null }],
        ["description-thin", "description", Clean() with { Description = "Handles orders." }],
        ["endpoints-without-error-handling", "errorHandling", Clean() with { ErrorHandling = null }],
        ["endpoints-without-auth", "auth", Clean() with { Auth = new AuthSection() }],
        ["security-empty", "security", Clean() with { Security = null }],
        ["caching-without-invalidation", "caching.invalidationStrategy", Clean() with { Caching = Clean().Caching! with { InvalidationStrategy = null } }],
        ["unknown-reference", "dependencies.internalModules", Clean() with { Dependencies = new DependenciesSection { InternalModules = new[] { new NamedItem("ghost", "x") }.ToEquatableList() } }],
        ["unknown-reference", "relatedComponents", Clean() with { RelatedComponents = new[] { new RelatedComponent("Ghost Service", "x") }.ToEquatableList() }],
        ["code-without-language", "apiEndpoints", Clean() with { ApiEndpoints = Clean().ApiEndpoints! with { Code = new[] { new CodeBlock(null, "x") }.ToEquatableList() } }],
        ["no-owner", "owner", Clean() with { Owner = null }],
        ["not-reviewed", "reviewedAt", Clean() with { ReviewedAt = Now.AddDays(-400), UpdatedAt = Now.AddDays(-400) }],
        ["placeholder-left", "description", Clean() with { Description = "[Brief description of the component's purpose]" }],
    ];

    [TestMethod]
    [DynamicData(nameof(Breaks))]
    public void Evaluate_BrokenDocument_RuleFiresOnItsSection(string rule, string section, object document)
    {
        var report = Evaluate((ComponentDocument)document);

        var finding = report.Findings.SingleOrDefault(f => f.Rule == rule && f.Section == section);
        Assert.IsNotNull(finding, $"{rule} on {section}; got {string.Join("; ", report.Findings)}");
        Assert.IsLessThan(100, report.Score);
        Assert.AreEqual(100 - QualityRules.Cost(finding.Severity), QualityRules.Score([finding]));
    }

    [TestMethod]
    public void Evaluate_MissingTitle_IsAnErrorAndInvalid()
    {
        var report = Evaluate(Clean() with { Title = null });

        Assert.IsFalse(report.Valid);
        Assert.AreEqual(FindingSeverity.Error, report.Findings.Single(f => f.Rule == "required-section").Severity);
    }

    [TestMethod]
    public void Evaluate_SameInput_SameFindingsOrderAndScore()
    {
        var messy = new ComponentDocument { Title = "X", Description = "short", Caching = new CachingSection { CacheKeys = "k" } };

        var first = Evaluate(messy);
        var second = Evaluate(messy with { });

        CollectionAssert.AreEqual(first.Findings.ToList(), second.Findings.ToList());
        Assert.AreEqual(first.Score, second.Score);
        Assert.AreEqual(100 - 25 - 8 * 4, first.Score, string.Join("; ", first.Findings));
    }

    [TestMethod]
    public void Score_OneRuleCountsAtMostThreeTimes_AndNeverBelowZero()
    {
        var many = Enumerable.Range(0, 10).Select(i => new Finding("placeholder-left", FindingSeverity.Warning, $"s{i}", "m")).ToList();
        var errors = Enumerable.Range(0, 10).Select(i => new Finding($"rule-{i}", FindingSeverity.Error, "s", "m")).ToList();

        Assert.AreEqual(100 - 3 * 8, QualityRules.Score(many));
        Assert.AreEqual(0, QualityRules.Score(errors));
    }

    [TestMethod]
    public void Sarif_HasVersionRulesAndLevels()
    {
        var findings = Evaluate(Clean() with { Owner = null, Title = null }).Findings;

        var log = Sarif.Log("docs/orders.md", findings);

        Assert.AreEqual("2.1.0", log["version"]!.GetValue<string>());
        var run = log["runs"]![0]!;
        Assert.AreEqual("component-catalog", run["tool"]!["driver"]!["name"]!.GetValue<string>());
        var results = run["results"]!.AsArray();
        Assert.HasCount(findings.Count, results);
        CollectionAssert.AreEquivalent(new[] { "error", "warning" }, results.Select(r => r!["level"]!.GetValue<string>()).Distinct().ToArray());
        Assert.AreEqual("docs/orders.md", results[0]!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>());
        var ruleIds = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        CollectionAssert.IsSubsetOf(results.Select(r => r!["ruleId"]!.GetValue<string>()).Distinct().ToList(), ruleIds);
    }
}
