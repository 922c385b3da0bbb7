using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class MarkdownRendererTests
{
    private static readonly MarkdownTemplate Template = new();

    private static readonly string[] TemplateHeadings =
    [
        "Component Name", "File Location", "Description", "Dependencies", "Class/Function Structure", "Data Models",
        "API Endpoints", "Database Interactions", "Error Handling", "Authentication/Authorization", "Caching", "Logging",
        "Testing", "Performance Considerations", "Security", "Usage Example", "Related Components", "Notes",
    ];

    [TestMethod]
    public void Render_EmptyDocument_IsTheTemplatesHeadingsInOrder()
    {
        var markdown = Template.Render(new ComponentDocument());

        Assert.AreEqual(string.Join("\n\n", TemplateHeadings.Select(h => "## " + h)) + "\n", markdown);
    }

    [TestMethod]
    public void Render_Headings_MatchTheShippedTemplate()
    {
        var shipped = Template.BlankTemplate.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim());

        Assert.AreEqual(string.Join("|", TemplateHeadings), string.Join("|", shipped));
    }

    [TestMethod]
    public void Render_FullDocument_UsesTheTemplatesSubStructure()
    {
        var document = new ComponentDocument
        {
            Name = "payments-api",
            Title = "Payments API",
            FileLocation = "backend/payments/api",
            Description = "Moves money.",
            Dependencies = new DependenciesSection
            {
                ExternalLibraries = new[] { new NamedItem("Stripe", "cards"), new NamedItem("Polly", null) }.ToEquatableList(),
                InternalModules = new[] { new NamedItem("ledger", "bookkeeping") }.ToEquatableList(),
            },
            ClassStructure = new ContentSection { Code = new[] { new CodeBlock("python", "class A:\n    x = 1") }.ToEquatableList() },
            ApiEndpoints = new ApiEndpointsSection { Endpoints = new[] { new ApiEndpoint { Method = "GET", Route = "/p/{id}", Description = "read" } }.ToEquatableList() },
            Database = new DatabaseSection { Models = new[] { new NamedItem("Payment", "a row") }.ToEquatableList(), Queries = new[] { new NamedItem("By id", null) }.ToEquatableList() },
            ErrorHandling = new ErrorHandlingSection
            {
                CustomExceptions = new ContentSection { Code = new[] { new CodeBlock("python", "class Declined(Exception):\n    pass") }.ToEquatableList() },
            },
            Auth = new AuthSection { RequiredPermissions = "payments.write", RoleBasedAccess = "merchants\n- own payments only" },
            Caching = new CachingSection { CacheKeys = "`p:{id}`", CacheDuration = "30 s", InvalidationStrategy = "on change" },
            Testing = new TestingSection { UnitTests = new ContentSection { Text = "Run them:", Code = new[] { new CodeBlock("sh", "make test") }.ToEquatableList() } },
            Performance = new PerformanceSection { QueryOptimization = "point reads" },
            Security = new SecuritySection { RateLimiting = "100/s" },
            RelatedComponents = new[] { new RelatedComponent("ledger-service", "records payments") }.ToEquatableList(),
            Notes = new NotesSection { ImplementationDetails = "retries 3x", KnownIssues = "slow refunds", FutureImprovements = "Apple Pay" },
            ExtraSections = new[] { new ExtraSection("Runbook", "1. Check the queue.") }.ToEquatableList(),
            Owner = "payments",
            Tags = new[] { "billing", "core" }.ToEquatableList(),
            Lifecycle = Lifecycle.Production,
            ReviewedAt = new DateTimeOffset(2026, 9, 14, 0, 0, 0, TimeSpan.Zero),
            Revision = 7,
            UpdatedBy = "someone",
        };

        var markdown = Template.Render(document);

        Assert.AreEqual("""
            ---
            name: payments-api
            owner: payments
            tags: [billing, core]
            lifecycle: production
            reviewedAt: 2026-09-14
            ---
            ## Component Name
            Payments API

            ## File Location
            `backend/payments/api`

            ## Description
            Moves money.

            ## Dependencies
            - External Libraries:
              - Stripe - cards
              - Polly
            - Internal Modules:
              - ledger - bookkeeping

            ## Class/Function Structure
            ```python
            class A:
                x = 1
            ```

            ## Data Models

            ## API Endpoints
            - GET /p/{id} - read

            ## Database Interactions
            - Models:
              - Payment - a row
            - Queries:
              - By id

            ## Error Handling
            - Custom Exceptions:
              ```python
              class Declined(Exception):
                  pass
              ```

            ## Authentication/Authorization
            - Required Permissions: payments.write
            - Role-based Access:
              merchants
              - own payments only

            ## Caching
            - Cache Keys: `p:{id}`
            - Cache Duration: 30 s
            - Invalidation Strategy: on change

            ## Logging

            ## Testing
            - Unit Tests:
              Run them:

              ```sh
              make test
              ```

            ## Performance Considerations
            - Query Optimization: point reads

            ## Security
            - Rate Limiting: 100/s

            ## Usage Example

            ## Related Components
            - ledger-service - records payments

            ## Notes
            - Implementation Details: retries 3x
            - Known Issues: slow refunds
            - Future Improvements: Apple Pay

            ## Runbook
            1. Check the queue.

            """, markdown);
    }

    [TestMethod]
    public void Render_ServerSetFields_AreNotRendered()
    {
        var markdown = Template.Render(new ComponentDocument { Title = "X", Revision = 3, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedBy = "alice@example.com" });

        Assert.DoesNotContain("revision", markdown);
        Assert.DoesNotContain("alice@example.com", markdown);
        Assert.DoesNotStartWith("---", markdown);
    }

    [TestMethod]
    public void Fence_CodeWithBacktickRuns_UsesALongerFence()
    {
        var fence = MarkdownRenderer.Fence(new CodeBlock("md", "```\n````\n"));

        Assert.AreEqual("`````md\n```\n````\n\n`````", fence);
    }

    [TestMethod]
    public void Fence_LanguageWithBacktick_UsesTildes()
    {
        var fence = MarkdownRenderer.Fence(new CodeBlock("a`b", "~~~x"));

        Assert.AreEqual("~~~~a`b\n~~~x\n~~~~", fence);
    }

    [TestMethod]
    public void Fence_EmptyCode_HasNoContentLine()
    {
        Assert.AreEqual("```\n```", MarkdownRenderer.Fence(new CodeBlock(null, string.Empty)));
    }

    [TestMethod]
    public void Render_FileLocationWithBacktick_UsesLongerCodeSpan()
    {
        var markdown = Template.Render(new ComponentDocument { FileLocation = "src/we`ird.py" });

        Assert.Contains("## File Location\n``src/we`ird.py``\n", markdown);
        Assert.AreEqual("src/we`ird.py", Template.Parse(markdown).Document.FileLocation);
    }

    [TestMethod]
    public void Render_FrontMatterValuesNeedingQuotes_AreQuotedAndReadBack()
    {
        var document = new ComponentDocument { Owner = "null", Tags = new[] { "a, b", "x: y" }.ToEquatableList(), ReviewedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)) };

        var markdown = Template.Render(document);

        Assert.StartsWith("---\nowner: \"null\"\ntags: [\"a, b\", \"x: y\"]\nreviewedAt: 2026-01-02T03:04:05-05:00\n---\n", markdown);
        Assert.AreEqual(document, Template.Parse(markdown).Document);
    }

    [TestMethod]
    public void Normalize_NonCanonicalStrings_ProducesCanonicalForms()
    {
        var document = new ComponentDocument
        {
            Title = "  Pay  ",
            FileLocation = " `backend/pay` ",
            Description = "\r\n\r\nline one\r\nline two   \r\n\r\n",
            Caching = new CachingSection(),
            Dependencies = new DependenciesSection { ExternalLibraries = EquatableList<NamedItem>.Empty },
            Tags = EquatableList<string>.Empty,
            Notes = new NotesSection { KnownIssues = "  \n  slow  " },
        };

        var normalized = MarkdownTemplate.Normalize(document);

        Assert.AreEqual(new ComponentDocument
        {
            Title = "Pay",
            FileLocation = "backend/pay",
            Description = "line one\nline two",
            Notes = new NotesSection { KnownIssues = "slow" },
        }, normalized);
    }
}
