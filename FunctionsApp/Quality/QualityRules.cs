using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>A score 0–100 and the findings that explain it.</summary>
internal sealed record QualityReport(int Score, IReadOnlyList<Finding> Findings)
{
    public bool Valid => Findings.All(f => f.Severity != FindingSeverity.Error);
}

/// <summary>
/// The rubric derived from the template itself (docs/quality-rules.md). Pure and deterministic: the
/// same document, catalog names and day give the same findings in the same order and the same score.
/// </summary>
internal static class QualityRules
{
    public const string RequiredSection = "required-section";
    public const string ThinDescription = "description-thin";
    public const string EndpointsWithoutErrors = "endpoints-without-error-handling";
    public const string EndpointsWithoutAuth = "endpoints-without-auth";
    public const string CachingWithoutInvalidation = "caching-without-invalidation";
    public const string UnknownReference = "unknown-reference";
    public const string CodeWithoutLanguage = "code-without-language";
    public const string SecurityEmpty = "security-empty";
    public const string NoOwner = "no-owner";
    public const string NotReviewed = "not-reviewed";
    public const string InvalidField = "invalid-field";

    public const int MinDescriptionWords = 8;

    /// <summary>Points a finding costs; one rule costs at most three findings' worth.</summary>
    public static int Cost(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => 25,
        FindingSeverity.Warning => 8,
        _ => 2,
    };

    /// <param name="exists">Whether a component of that name is in the catalog (or in the same import).</param>
    /// <param name="staleBefore">Documents last reviewed or updated before this are not reviewed recently.</param>
    /// <param name="extra">Findings from elsewhere, e.g. the Markdown parser's placeholders.</param>
    public static QualityReport Evaluate(ComponentDocument d, Func<string, bool> exists, DateTimeOffset staleBefore, IEnumerable<Finding>? extra = null)
    {
        var findings = new List<Finding>(extra ?? []);
        void Add(string rule, FindingSeverity severity, string section, string message) => findings.Add(new Finding(rule, severity, section, message));

        if (string.IsNullOrWhiteSpace(d.Title)) Add(RequiredSection, FindingSeverity.Error, "title", "Component Name is missing.");
        if (string.IsNullOrWhiteSpace(d.Description)) Add(RequiredSection, FindingSeverity.Error, "description", "Description is missing.");
        if (string.IsNullOrWhiteSpace(d.FileLocation)) Add(RequiredSection, FindingSeverity.Error, "fileLocation", "File Location is missing.");

        if (!string.IsNullOrWhiteSpace(d.Description) && d.Description.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length < MinDescriptionWords)
        {
            Add(ThinDescription, FindingSeverity.Warning, "description", $"The description has fewer than {MinDescriptionWords} words; say what the component is for and who uses it.");
        }

        var hasEndpoints = d.ApiEndpoints is { } api && (api.Endpoints is { Count: > 0 } || api.Code is { Count: > 0 } || !string.IsNullOrWhiteSpace(api.Text));
        if (hasEndpoints)
        {
            if (IsEmpty(d.ErrorHandling)) Add(EndpointsWithoutErrors, FindingSeverity.Warning, "errorHandling", "API endpoints are documented but Error Handling is empty: list the exceptions and error responses.");
            if (IsEmpty(d.Auth)) Add(EndpointsWithoutAuth, FindingSeverity.Warning, "auth", "API endpoints are documented but Authentication/Authorization is empty: say who may call them.");
            if (IsEmpty(d.Security)) Add(SecurityEmpty, FindingSeverity.Warning, "security", "API endpoints are documented but Security is empty: describe input validation, sanitisation and rate limiting.");
        }

        if (d.Caching is { } caching && (!string.IsNullOrWhiteSpace(caching.CacheKeys) || !string.IsNullOrWhiteSpace(caching.CacheDuration))
            && string.IsNullOrWhiteSpace(caching.InvalidationStrategy))
        {
            Add(CachingWithoutInvalidation, FindingSeverity.Warning, "caching.invalidationStrategy", "Caching is described without an invalidation strategy: say when cached entries are dropped.");
        }

        foreach (var module in d.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty)
        {
            var name = Search.IndexEntry.ReferenceName(module.Name);
            if (name.Length > 0 && name != d.Name && !exists(name))
                Add(UnknownReference, FindingSeverity.Info, "dependencies.internalModules", $"Internal module '{module.Name}' is not in the catalog.");
        }
        foreach (var related in d.RelatedComponents ?? EquatableList<RelatedComponent>.Empty)
        {
            var name = Search.IndexEntry.ReferenceName(related.Name);
            if (name.Length > 0 && name != d.Name && !exists(name))
                Add(UnknownReference, FindingSeverity.Info, "relatedComponents", $"Related component '{related.Name}' is not in the catalog.");
        }

        foreach (var (section, block) in CodeBlocks(d))
        {
            if (string.IsNullOrWhiteSpace(block.Language))
                Add(CodeWithoutLanguage, FindingSeverity.Info, section, "A code block has no language; add one after the opening fence (```csharp).");
        }

        if (string.IsNullOrWhiteSpace(d.Owner)) Add(NoOwner, FindingSeverity.Warning, "owner", "No owner: set the owning team so people know whom to ask.");

        var touched = new[] { d.ReviewedAt, d.UpdatedAt }.Max();
        if (touched is null || touched < staleBefore)
        {
            Add(NotReviewed, FindingSeverity.Warning, "reviewedAt", "Not reviewed recently: read it through and set reviewedAt.");
        }

        findings.AddRange(PlaceholderDetector.Scan(d));
        var ordered = findings.Distinct()
            .OrderBy(f => f.Severity).ThenBy(f => f.Rule, StringComparer.Ordinal).ThenBy(f => f.Section, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        return new QualityReport(Score(ordered), ordered);
    }

    public static int Score(IEnumerable<Finding> findings)
    {
        var cost = findings.GroupBy(f => f.Rule, StringComparer.Ordinal)
            .Sum(g => g.Select(f => Cost(f.Severity)).OrderDescending().Take(3).Sum());
        return Math.Clamp(100 - cost, 0, 100);
    }

    /// <summary>Field validation errors as findings, so a linter shows them next to the rest.</summary>
    public static IEnumerable<Finding> FromValidation(IReadOnlyDictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(m => new Finding(InvalidField, FindingSeverity.Error, e.Key, m)));

    private static bool IsEmpty(object? section) => section switch
    {
        null => true,
        ErrorHandlingSection e => IsEmpty(e.CustomExceptions) && IsEmpty(e.ErrorResponses) && string.IsNullOrWhiteSpace(e.Text),
        ContentSection c => string.IsNullOrWhiteSpace(c.Text) && c.Code is not { Count: > 0 },
        AuthSection a => new[] { a.RequiredPermissions, a.TokenValidation, a.RoleBasedAccess, a.Text }.All(string.IsNullOrWhiteSpace),
        SecuritySection s => new[] { s.InputValidation, s.DataSanitization, s.RateLimiting, s.Text }.All(string.IsNullOrWhiteSpace),
        _ => false,
    };

    private static IEnumerable<(string Section, CodeBlock Block)> CodeBlocks(ComponentDocument d)
    {
        IEnumerable<(string, CodeBlock)> Of(string section, EquatableList<CodeBlock>? code) => (code ?? EquatableList<CodeBlock>.Empty).Select(c => (section, c));
        return Of("classStructure", d.ClassStructure?.Code)
            .Concat(Of("dataModels", d.DataModels?.Code))
            .Concat(Of("apiEndpoints", d.ApiEndpoints?.Code))
            .Concat(Of("errorHandling.customExceptions", d.ErrorHandling?.CustomExceptions?.Code))
            .Concat(Of("errorHandling.errorResponses", d.ErrorHandling?.ErrorResponses?.Code))
            .Concat(Of("logging", d.Logging?.Code))
            .Concat(Of("testing.unitTests", d.Testing?.UnitTests?.Code))
            .Concat(Of("testing.integrationTests", d.Testing?.IntegrationTests?.Code))
            .Concat(Of("usageExample", d.UsageExample?.Code));
    }
}
