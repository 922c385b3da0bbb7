using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

/// <summary>
/// Seeded random component documents in canonical form: every section, unicode, code in many languages with
/// backtick and tilde runs inside, tabs and trailing blanks, multi-line list values, nested lists, extra sections.
/// </summary>
internal sealed class DocumentGenerator(int seed)
{
    private static readonly string[] Words =
    [
        "payments", "ledger", "retry", "naïve", "Größe", "日本語", "données", "Ωmega", "🚀", "café", "queue", "idempotent",
        "token", "Привет", "cache", "<b>bold</b>", "**strong**", "_emph_", "`code`", "a|b", "50%", "x&y", "\"quoted\"", "it's",
        "[link](https://example.com)", "<https://example.org>", "\\escaped", "{braces}", "😀👍", "עברית", "emoji✨", "tab\tinside",
    ];

    private static readonly string[] Languages =
        ["python", "csharp", "c#", "js", "ts", "bash", "sql", "yaml", "json", "go", "rust", "c++", "text", "python title=\"x.py\"", "`odd`", "~tilde"];

    private static readonly string[] CodeLines =
    [
        "def handler(event):", "    return {\"ok\": True}", "\tindented with a tab", "```", "````", "~~~", "~~~~~", "``` not a fence",
        "SELECT * FROM orders WHERE id = @id;", "// comment", "# comment", "    pass", "var x = 1;   ", "", "   ", "<div>html in code</div>",
        "## not a heading", "- not a list", "> not a quote", "日本語のコード = 1", "emoji = \"🚀\"", "[Component Name] in code is code",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static readonly string[] ExtraHeadings =
        ["Deployment", "Runbook 🚀", "Glossary", "Änderungen", "FAQ", "Operational Notes", "On-call", "Metrics & Alerts", "Migration Plan"];

    private readonly Random _random = new(seed);
    private int _unique;

    public ComponentDocument Next() => new()
    {
        Name = Maybe(() => $"component-{_random.Next(1000)}"),
        Title = Maybe(() => Phrase(1, 5), 0.95),
        FileLocation = Maybe(() => _random.Next(10) == 0 ? "src/weird`name.py" : $"backend/{Word("abc")}/{_random.Next(100)}.py"),
        Description = Maybe(Prose),
        Dependencies = Maybe(() => Section(new DependenciesSection
        {
            ExternalLibraries = Maybe(() => Named(1, 4)),
            InternalModules = Maybe(() => Named(1, 3)),
            Text = Maybe(Prose, 0.3),
        })),
        ClassStructure = Maybe(Content),
        DataModels = Maybe(Content),
        ApiEndpoints = Maybe(() => Section(new ApiEndpointsSection
        {
            Endpoints = Maybe(() => List(1, 4, () => new ApiEndpoint
            {
                Method = Methods[_random.Next(Methods.Length)],
                Route = $"/{Word("orders")}/{{id}}/{_random.Next(1000)}-{_unique++}",
                Description = Maybe(ItemProse),
            })),
            Text = Maybe(Prose, 0.4),
            Code = Maybe(() => List(1, 2, Code)),
        })),
        Database = Maybe(() => Section(new DatabaseSection { Models = Maybe(() => Named(1, 3)), Queries = Maybe(() => Named(1, 3)), Text = Maybe(Prose, 0.4) })),
        ErrorHandling = Maybe(() => Section(new ErrorHandlingSection { CustomExceptions = Maybe(Content), ErrorResponses = Maybe(Content), Text = Maybe(Prose, 0.3) })),
        Auth = Maybe(() => Section(new AuthSection { RequiredPermissions = Maybe(ItemProse), TokenValidation = Maybe(ItemProse), RoleBasedAccess = Maybe(ItemProse), Text = Maybe(Prose, 0.3) })),
        Caching = Maybe(() => Section(new CachingSection { CacheKeys = Maybe(ItemProse), CacheDuration = Maybe(ItemProse), InvalidationStrategy = Maybe(ItemProse), Text = Maybe(Prose, 0.3) })),
        Logging = Maybe(Content),
        Testing = Maybe(() => Section(new TestingSection { UnitTests = Maybe(Content), IntegrationTests = Maybe(Content), Text = Maybe(Prose, 0.3) })),
        Performance = Maybe(() => Section(new PerformanceSection { QueryOptimization = Maybe(ItemProse), CachingStrategy = Maybe(ItemProse), AsyncOperations = Maybe(ItemProse), Text = Maybe(Prose, 0.3) })),
        Security = Maybe(() => Section(new SecuritySection { InputValidation = Maybe(ItemProse), DataSanitization = Maybe(ItemProse), RateLimiting = Maybe(ItemProse), Text = Maybe(Prose, 0.3) })),
        UsageExample = Maybe(Content),
        RelatedComponents = Maybe(() => List(1, 4, () => new RelatedComponent($"component-{_random.Next(10_000)}-{_unique++}", Maybe(ItemProse)))),
        RelatedComponentsText = Maybe(() => Phrase(3, 8) + "\n\n> " + Phrase(1, 3), 0.2),
        Notes = Maybe(() => Section(new NotesSection { ImplementationDetails = Maybe(ItemProse), KnownIssues = Maybe(ItemProse), FutureImprovements = Maybe(ItemProse), Text = Maybe(Prose, 0.2) })),
        ExtraSections = Maybe(() => ExtraHeadings.OrderBy(_ => _random.Next()).Take(_random.Next(1, 4))
            .Select(h => new ExtraSection(h, ExtraBody())).ToEquatableList(), 0.6),
        Owner = Maybe(() => $"team-{_random.Next(20)}"),
        Tags = Maybe(() => Enumerable.Range(0, _random.Next(1, 4)).Select(i => $"tag{i}-{_random.Next(100)}").ToEquatableList()),
        Lifecycle = _random.Next(4) switch { 0 => null, 1 => Lifecycle.Experimental, 2 => Lifecycle.Production, _ => Lifecycle.Deprecated },
        ReviewedAt = _random.Next(3) switch
        {
            0 => null,
            1 => new DateTimeOffset(2026, _random.Next(1, 13), _random.Next(1, 28), 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(_random.Next(-11, 12))).AddTicks(_random.Next(10_000_000)),
        },
    };

    private T? Maybe<T>(Func<T?> make, double probability = 0.8) where T : class =>
        _random.NextDouble() < probability ? make() : null;

    /// <summary>A section with nothing in it is no section (the canonical form).</summary>
    private static T? Section<T>(T section) where T : class, new() => section.Equals(new T()) ? null : section;

    private string Word(string fallback) => _random.Next(3) == 0 ? fallback : Words[_random.Next(Words.Length)];

    private string Phrase(int min, int max) =>
        string.Join(' ', Enumerable.Range(0, _random.Next(min, max + 1)).Select(_ => Words[_random.Next(Words.Length)]));

    /// <summary>Section prose: paragraphs, lists, a quote, HTML, a hard break — never a heading or a fence.</summary>
    private string Prose()
    {
        var blocks = new List<string>();
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            blocks.Add(_random.Next(6) switch
            {
                0 => string.Join('\n', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => "- " + Phrase(1, 4))),
                1 => string.Join('\n', Enumerable.Range(1, _random.Next(1, 3)).Select(n => $"{n}. " + Phrase(1, 3))),
                2 => "> " + Phrase(2, 6),
                3 => "<details><summary>" + Phrase(1, 2) + "</summary>\n" + Phrase(2, 5) + "\n</details>",
                4 => Phrase(2, 6) + "  \n" + Phrase(1, 4),
                _ => Phrase(3, 10),
            });
        }
        return string.Join("\n\n", blocks);
    }

    /// <summary>A list item's value: one line, or a line followed by more lines and sub-bullets.</summary>
    private string ItemProse() => _random.Next(3) switch
    {
        0 => Phrase(1, 6) + "\n" + Phrase(1, 4) + "\n- " + Phrase(1, 3),
        1 => Phrase(1, 4) + "\n\n" + Phrase(2, 5),
        _ => Phrase(1, 6),
    };

    private EquatableList<NamedItem> Named(int min, int max) =>
        List(min, max, () => new NamedItem($"{Word("Lib")}-{_random.Next(100_000)}-{_unique++}", Maybe(ItemProse, 0.7)));

    private EquatableList<T> List<T>(int min, int max, Func<T> make) =>
        Enumerable.Range(0, _random.Next(min, max + 1)).Select(_ => make()).ToEquatableList();

    private ContentSection Content()
    {
        var code = Maybe(() => List(1, 3, Code), 0.85);
        return new ContentSection { Text = code is null || _random.Next(3) == 0 ? Prose() : null, Code = code };
    }

    private CodeBlock Code()
    {
        var lines = Enumerable.Range(0, _random.Next(1, 8)).Select(_ => CodeLines[_random.Next(CodeLines.Length)]).ToList();
        lines.Insert(_random.Next(lines.Count + 1), "result = compute(" + _random.Next(1000) + ") " + Words[_random.Next(Words.Length)]);
        if (_random.Next(5) == 0)
        {
            lines.Add(string.Empty);
        }
        return new CodeBlock(_random.Next(5) == 0 ? null : Languages[_random.Next(Languages.Length)], string.Join('\n', lines));
    }

    /// <summary>An extra section's body, verbatim: prose, deeper headings, code.</summary>
    private string ExtraBody() => _random.Next(4) switch
    {
        0 => string.Empty,
        1 => Prose() + "\n\n### " + Phrase(1, 3) + "\n" + Phrase(2, 5),
        2 => Phrase(2, 5) + "\n\n" + MarkdownFence(Code()) + "\n\n#### " + Phrase(1, 2) + "   \n" + Phrase(1, 3) + "   ",
        _ => Prose(),
    };

    private static string MarkdownFence(CodeBlock code) => ComponentCatalog.Markdown.MarkdownRenderer.Fence(code);
}
