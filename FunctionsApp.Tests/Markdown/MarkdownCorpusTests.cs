using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using Markdig;
using Markdig.Syntax;
using CodeBlock = ComponentCatalog.Model.CodeBlock;
using MarkdigCode = Markdig.Syntax.CodeBlock;

namespace ComponentCatalog.Tests.Markdown;

/// <summary>Hand-written documents (Markdown/Corpus) as teams write them: every one parses, round-trips and keeps its content.</summary>
[TestClass]
public sealed class MarkdownCorpusTests
{
    private static readonly MarkdownTemplate Template = new();
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Markdown", "Corpus");

    public static IEnumerable<object[]> CorpusFiles =>
        Directory.GetFiles(CorpusDirectory, "*.md").Order(StringComparer.Ordinal).Select(path => new object[] { Path.GetFileName(path) });

    [TestMethod]
    public void Corpus_Directory_HoldsAtLeastTenDocuments()
    {
        Assert.IsGreaterThanOrEqualTo(10, CorpusFiles.Count());
    }

    [TestMethod]
    [DynamicData(nameof(CorpusFiles))]
    public void Parse_CorpusDocument_HasNoErrorsAndATitle(string file)
    {
        var result = Template.Parse(Read(file));

        Assert.IsFalse(result.HasErrors, string.Join("; ", result.Findings));
        Assert.IsFalse(string.IsNullOrWhiteSpace(result.Document.Title), "every corpus document names its component");
    }

    [TestMethod]
    [DynamicData(nameof(CorpusFiles))]
    public void RoundTrip_CorpusDocument_IsStable(string file)
    {
        var parsed = Template.Parse(Read(file)).Document;
        var markdown = Template.Render(parsed);

        var reparsed = Template.Parse(markdown);

        MarkdownRoundTripTests.AssertSame(parsed, reparsed.Document, file);
        Assert.AreEqual(markdown, Template.Render(reparsed.Document), file);
        Assert.IsFalse(reparsed.Findings.Any(f => f.Rule == FindingRules.PlaceholderLeft), "rendering adds no placeholder");
    }

    [TestMethod]
    [DynamicData(nameof(CorpusFiles))]
    public void RoundTrip_CorpusDocument_KeepsEveryCodeBlock(string file)
    {
        var original = Read(file);
        var rendered = Template.Render(Template.Parse(original).Document);

        var kept = CodeBlocks(rendered).ToHashSet(StringComparer.Ordinal);

        foreach (var code in CodeBlocks(original).Where(c => !PlaceholderDetector.IsPlaceholderCode(c)))
        {
            Assert.Contains(code, kept, $"{file}: code block lost:\n{code}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(CorpusFiles))]
    public void RoundTrip_CorpusDocument_KeepsEveryLineOfProse(string file)
    {
        var original = Canonical.Newlines(Read(file));
        var rendered = Template.Render(Template.Parse(original).Document);

        foreach (var line in ProseLines(original))
        {
            foreach (var part in line.Split([" - ", " – ", " — "], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Assert.Contains(part, rendered, $"{file}: prose lost: '{line}'");
            }
        }
    }

    [TestMethod]
    public void Parse_PartiallyFilledTemplate_KeepsContentAndReportsPlaceholders()
    {
        var result = Template.Parse(Read("03-partially-filled-template.md"));
        var d = result.Document;

        Assert.AreEqual("Order Export Job", d.Title);
        Assert.IsNull(d.FileLocation);
        Assert.AreEqual("Exports yesterday's orders to the data warehouse every night at 02:00.", d.Description);
        Assert.AreEqual(new NamedItem("pandas", "builds the CSV"), d.Dependencies!.ExternalLibraries!.Single());
        Assert.IsNull(d.Dependencies.InternalModules);
        Assert.IsNull(d.ClassStructure);
        Assert.IsNotNull(d.DataModels);
        Assert.IsNull(d.ApiEndpoints);
        Assert.IsNull(d.ErrorHandling);
        Assert.IsNull(d.Auth);
        Assert.IsNull(d.Caching);
        Assert.IsNull(d.Logging);
        Assert.IsNull(d.Testing);
        Assert.AreEqual(new PerformanceSection { QueryOptimization = "the export reads one day's partition only" }, d.Performance);
        Assert.IsNull(d.UsageExample);
        Assert.AreEqual(new RelatedComponent("warehouse-loader", "picks up the CSV"), d.RelatedComponents!.Single());
        Assert.AreEqual(new NotesSection { KnownIssues = "runs long on Black Friday" }, d.Notes);
        var sections = result.Findings.Where(f => f.Rule == FindingRules.PlaceholderLeft).Select(f => f.Section).ToHashSet();
        foreach (var section in new[] { "fileLocation", "description", "classStructure.code", "logging.code", "caching.cacheKeys", "notes.implementationDetails", "relatedComponents", "usageExample.code" })
        {
            Assert.Contains(section, sections);
        }
    }

    [TestMethod]
    public void Parse_LowercaseLevelThreeCrlfHeadings_FindsEverySection()
    {
        var d = Template.Parse(Read("02-user-auth-service.md")).Document;

        Assert.AreEqual("User Auth Service", d.Title);
        Assert.AreEqual("backend/auth/user_auth_service.py", d.FileLocation);
        Assert.AreEqual("none, this *is* the auth service", d.Auth!.RequiredPermissions);
        Assert.AreEqual("RS256, keys rotated every 24 h", d.Auth.TokenValidation);
        Assert.AreEqual("`admin`, `support`, `user`", d.Auth.RoleBasedAccess);
        Assert.HasCount(2, d.Dependencies!.ExternalLibraries!);
        Assert.AreEqual("python", d.ClassStructure!.Code!.Single().Language);
        Assert.DoesNotContain("\r", d.ClassStructure.Code!.Single().Code);
        Assert.AreEqual("python", d.Testing!.UnitTests!.Code!.Single().Language);
        Assert.HasCount(2, d.RelatedComponents!);
    }

    [TestMethod]
    public void Parse_ExtraSectionsAndHtml_KeepsThemVerbatim()
    {
        var result = Template.Parse(Read("04-notification-worker.md"));
        var d = result.Document;

        Assert.AreEqual("messaging", d.Owner);
        Assert.AreEqual(new[] { "notifications", "email" }.ToEquatableList(), d.Tags);
        Assert.AreEqual(Lifecycle.Experimental, d.Lifecycle);
        Assert.AreEqual("Notification Worker", d.Title);
        Assert.StartsWith("Sends e-mail and push notifications.", d.Description!);
        Assert.Contains("<!-- TODO: document the retry policy once it is final -->", d.Description!);
        Assert.Contains("<details>\n<summary>Why not use Azure Communication Services?</summary>", d.Description!);
        Assert.AreEqual("Deployment|Runbook", string.Join("|", d.ExtraSections!.Select(e => e.Heading)));
        Assert.Contains("    queueLength: 50\n```", d.ExtraSections![0].Body);
        Assert.AreEqual("1. Check the dead-letter queue.\n2. Replay with `./replay.sh --since 1h`.\n   - Use `--dry-run` first.\n3. Tell #messaging.", d.ExtraSections[1].Body);
        Assert.AreEqual(
            "e-mail delivery",
            d.Dependencies!.ExternalLibraries![0].Purpose);
        Assert.AreEqual(
            "push delivery\n- only the messaging part is used\n- pinned to 3.x because of the Android channel API",
            d.Dependencies.ExternalLibraries[1].Purpose);
        Assert.IsTrue(result.Findings.Any(f => f.Rule == FindingRules.Moved && f.Section == "description"));
    }

    [TestMethod]
    public void Parse_LongAndTildeFences_KeepsCodeVerbatim()
    {
        var d = Template.Parse(Read("05-search-indexer.md")).Document;

        var structure = d.ClassStructure!.Code!;
        Assert.HasCount(2, structure);
        Assert.AreEqual("markdown", structure[0].Language);
        Assert.Contains("```csharp\nvar indexer = new Indexer(client);\n```\n\n~~~\nand tilde fences too\n~~~", structure[0].Code);
        Assert.AreEqual("python", structure[1].Language);
        Assert.Contains("    ```\n    not a fence end\n    ```", structure[1].Code);
        Assert.AreEqual("The indexer is a single hosted service:", d.ClassStructure.Text);
        Assert.AreEqual(new CodeBlock(null, "public sealed record ProductDocument(string Sku, string Title, decimal Price);\n// an indented code block, four spaces"), d.DataModels!.Code!.Single());
        Assert.AreEqual("public sealed class IndexUnavailableException : Exception { }", d.ErrorHandling!.CustomExceptions!.Code!.Single().Code);
        Assert.AreEqual("The indexer has no HTTP surface; failures go to the dead-letter queue.", d.ErrorHandling.ErrorResponses!.Text);
        Assert.Contains("\tAssert.AreEqual(\"A1\"", d.Testing!.UnitTests!.Code!.Single().Code);
        Assert.AreEqual("run against a throwaway Elasticsearch container", d.Testing.IntegrationTests!.Text);
        Assert.AreEqual("# reindex everything (takes ~20 min)\n./indexer --full\n```still inside the block```", d.UsageExample!.Code!.Single().Code);
    }

    [TestMethod]
    public void Parse_NumberedAndSetextHeadings_FindsSections()
    {
        var d = Template.Parse(Read("06-inventory-numbered.md")).Document;

        Assert.AreEqual("Inventory Service", d.Title);
        Assert.AreEqual("backend/inventory", d.FileLocation);
        Assert.AreEqual("Dapper", d.Dependencies!.ExternalLibraries!.Single().Name);
        Assert.HasCount(2, d.Database!.Models!);
        Assert.AreEqual("`UPDATE … WHERE quantity >= @n`, optimistic", d.Database.Queries![0].Purpose);
        Assert.AreEqual("The stock table is partitioned by warehouse.", d.Database.Text);
        Assert.AreEqual("`stock:{warehouse}:{sku}`", d.Caching!.CacheKeys);
        Assert.AreEqual("negative stock was seen once in 2025 (INC-4411)", d.Notes!.KnownIssues);
        Assert.IsNull(d.ExtraSections);
    }

    [TestMethod]
    public void Parse_BoldAndVariedLabels_MapsSubItems()
    {
        var d = Template.Parse(Read("07-rate-limiter-bold-labels.md")).Document;

        Assert.AreEqual(new CachingSection
        {
            CacheKeys = "`rl:{principal}:{minute}`",
            CacheDuration = "60 seconds, aligned to the minute",
            InvalidationStrategy = "none; keys expire",
        }, d.Caching);
        Assert.AreEqual("the check is synchronous on purpose", d.Performance!.AsyncOperations);
        Assert.AreEqual("this *is* the rate limiter", d.Security!.RateLimiting);
        Assert.AreEqual("The Lua script:\n\n```lua\nlocal tokens = redis.call('DECR', KEYS[1])\nif tokens < 0 then return 0 end\nreturn 1\n```", d.Notes!.ImplementationDetails);
        Assert.AreEqual("- clock skew between Redis replicas can allow a short burst\n- no per-route limits yet", d.Notes.KnownIssues);
    }

    [TestMethod]
    public void Parse_UnicodeEverywhere_KeepsItExactly()
    {
        var d = Template.Parse(Read("08-unicode-gateway.md")).Document;

        Assert.AreEqual("Gateway 🌍 Ünïcödé", d.Title);
        Assert.Contains("👩‍💻", d.Description!);
        Assert.AreEqual(new ApiEndpoint { Method = "GET", Route = "/v1/こんにちは", Description = "greets in Japanese" }, d.ApiEndpoints!.Endpoints![0]);
        Assert.AreEqual("removes an item\n- soft delete only\n- restorable for 30 days", d.ApiEndpoints.Endpoints[1].Description);
        Assert.AreEqual("[Payments](../payments/README.md)", d.RelatedComponents![1].Name);
        Assert.AreEqual("📈 Métriques|Glossário", string.Join("|", d.ExtraSections!.Select(e => e.Heading)));
    }

    [TestMethod]
    public void Parse_LevelOneHeadings_KeepsSubheadingsInExtraSection()
    {
        var d = Template.Parse(Read("09-reporting-level-one.md")).Document;

        Assert.AreEqual("Reporting Batch", d.Title);
        Assert.AreEqual("Structured logs go to Application Insights.", d.Logging!.Text);
        Assert.AreEqual("Architecture", d.ExtraSections!.Single().Heading);
        Assert.AreEqual("The batch has three stages.\n\n### Extract\nReads the ledger.\n\n### Render\nUses WeasyPrint.", d.ExtraSections![0].Body);
    }

    [TestMethod]
    public void Parse_FrontMatterEndpointsAndDeepLists_ReadsAll()
    {
        var d = Template.Parse(Read("10-feature-flags.md")).Document;

        Assert.AreEqual("feature-flags", d.Name);
        Assert.AreEqual(new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.FromHours(2)), d.ReviewedAt);
        Assert.AreEqual("Flags are read-mostly; writes come from the admin UI.", d.ApiEndpoints!.Text);
        Assert.AreEqual(new ApiEndpoint { Method = "PUT", Route = "/flags/{key}", Description = "set a flag\nRequires the `flags.admin` role." }, d.ApiEndpoints.Endpoints![1]);
        Assert.AreEqual("csharp", d.ApiEndpoints.Code!.Single().Language);
        Assert.AreEqual("resolves tenants\n- cached for 10 minutes\n  - refreshed on `tenant.changed`", d.Dependencies!.InternalModules!.Single().Purpose);
        Assert.AreEqual("- percentage rollouts\n- flag expiry reminders", d.Notes!.FutureImprovements);
    }

    [TestMethod]
    public void Parse_CrlfTabsAndTrailingWhitespace_KeepsCodeVerbatim()
    {
        var d = Template.Parse(Read("11-audit-log.md")).Document;

        Assert.AreEqual("Audit Log", d.Title);
        Assert.AreEqual("func (a *AuditLog) Append(ctx context.Context, e Event) error {\n\tif e.Actor == \"\" {\n\t\treturn ErrNoActor   \n\t}\n\treturn a.store.Put(ctx, e)\n}", d.ClassStructure!.Code!.Single().Code);
        Assert.Contains("<script>alert('x')</script>", d.Description!);
        Assert.Contains("stored as text.  \nA second line", d.Description!);
        Assert.StartsWith("func TestAppend_NoActor(t *testing.T) {\n\tif err", d.Testing!.UnitTests!.Code!.Single().Code);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(CorpusDirectory, file));

    /// <summary>The content of every code block, as Markdig reads it (indentation of containers removed).</summary>
    private static IEnumerable<string> CodeBlocks(string markdown)
    {
        var document = Markdig.Markdown.Parse(Canonical.Newlines(markdown), new MarkdownPipelineBuilder().Build());
        foreach (var block in document.Descendants<MarkdigCode>())
        {
            var lines = block.Lines;
            yield return string.Join('\n', Enumerable.Range(0, lines.Count).Select(i => lines.Lines[i].Slice.ToString().TrimStart()));
        }
    }

    /// <summary>
    /// Lines of prose a reader wrote: outside code, front matter and headings, not template placeholders or bare
    /// labels; list markers, emphasis around labels and the labels themselves stripped (they are re-rendered).
    /// </summary>
    private static IEnumerable<string> ProseLines(string markdown)
    {
        var lines = markdown.Split('\n');
        var document = Markdig.Markdown.Parse(markdown, new MarkdownPipelineBuilder().Build());
        var skip = new bool[lines.Length];
        foreach (var block in document.Descendants().Where(b => b is MarkdigCode or HeadingBlock))
        {
            for (var i = block.Line; i < lines.Length && i <= LineOf(markdown, block.Span.End); i++)
            {
                skip[i] = true;
            }
        }
        if (lines[0].Trim() == "---")
        {
            for (var i = 0; i < lines.Length; i++)
            {
                skip[i] = true;
                if (i > 0 && lines[i].Trim() == "---")
                {
                    break;
                }
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (skip[i] || line.Length == 0 || PlaceholderDetector.IsPlaceholderText(line))
            {
                continue;
            }
            var text = StripMarker(line);
            var labelled = false;
            foreach (var label in AllLabels)
            {
                if (Labels.TryMatch(text, label, out var rest))
                {
                    text = rest;
                    labelled = true;
                    break;
                }
            }
            if (text.Length > 0 && !(labelled && PlaceholderDetector.IsPlaceholderText(text)))
            {
                yield return text;
            }
        }
    }

    private static string StripMarker(string line)
    {
        var i = 0;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }
        if (i > 0 && i < line.Length && line[i] is '.' or ')')
        {
            return line[(i + 1)..].Trim();
        }
        return line.Length >= 2 && line[0] is '-' or '*' or '+' && line[1] == ' ' ? line[2..].Trim() : line;
    }

    private static int LineOf(string text, int position)
    {
        var line = 0;
        for (var i = 0; i < Math.Min(position, text.Length); i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }
        return line;
    }

    private static readonly string[] AllLabels =
    [
        "External Libraries", "Internal Modules", "Models", "Queries", "Custom Exceptions", "Error Responses",
        "Required Permissions", "Token Validation", "Role-based Access", "Cache Keys", "Cache Duration",
        "Invalidation Strategy", "Unit Tests", "Integration Tests", "Query Optimization", "Caching Strategy",
        "Async Operations", "Input Validation", "Data Sanitization", "Rate Limiting", "Implementation Details",
        "Known Issues", "Future Improvements",
    ];
}
