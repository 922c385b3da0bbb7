using System.Text;

namespace ComponentCatalog.Markdown;

/// <summary>The template's sections, in its order, with the JSON field each maps to.</summary>
internal enum SectionKind
{
    ComponentName,
    FileLocation,
    Description,
    Dependencies,
    ClassStructure,
    DataModels,
    ApiEndpoints,
    Database,
    ErrorHandling,
    Auth,
    Caching,
    Logging,
    Testing,
    Performance,
    Security,
    UsageExample,
    RelatedComponents,
    Notes,
}

internal sealed record SectionInfo(SectionKind Kind, string Heading, string Field, string[] Aliases);

/// <summary>A sub-item label of a section (<c>- External Libraries:</c>, <c>- Cache Keys</c>, …).</summary>
internal sealed record LabelInfo(string Label, string Field);

internal static class TemplateSections
{
    public static IReadOnlyList<SectionInfo> All { get; } =
    [
        new(SectionKind.ComponentName, "Component Name", "title", []),
        new(SectionKind.FileLocation, "File Location", "fileLocation", []),
        new(SectionKind.Description, "Description", "description", []),
        new(SectionKind.Dependencies, "Dependencies", "dependencies", []),
        new(SectionKind.ClassStructure, "Class/Function Structure", "classStructure", ["classstructure", "functionstructure"]),
        new(SectionKind.DataModels, "Data Models", "dataModels", ["datamodel"]),
        new(SectionKind.ApiEndpoints, "API Endpoints", "apiEndpoints", ["apiendpoint"]),
        new(SectionKind.Database, "Database Interactions", "database", ["databaseinteraction"]),
        new(SectionKind.ErrorHandling, "Error Handling", "errorHandling", []),
        new(SectionKind.Auth, "Authentication/Authorization", "auth", ["authenticationandauthorization", "authorizationauthentication"]),
        new(SectionKind.Caching, "Caching", "caching", []),
        new(SectionKind.Logging, "Logging", "logging", []),
        new(SectionKind.Testing, "Testing", "testing", []),
        new(SectionKind.Performance, "Performance Considerations", "performance", ["performanceconsideration"]),
        new(SectionKind.Security, "Security", "security", []),
        new(SectionKind.UsageExample, "Usage Example", "usageExample", ["usageexamples"]),
        new(SectionKind.RelatedComponents, "Related Components", "relatedComponents", ["relatedcomponent"]),
        new(SectionKind.Notes, "Notes", "notes", []),
    ];

    /// <summary>The template's own title line (<c># Backend Component Documentation Template</c>).</summary>
    public const string TemplateTitle = "Backend Component Documentation Template";

    public static readonly LabelInfo ExternalLibraries = new("External Libraries", "dependencies.externalLibraries");
    public static readonly LabelInfo InternalModules = new("Internal Modules", "dependencies.internalModules");
    public static readonly LabelInfo Models = new("Models", "database.models");
    public static readonly LabelInfo Queries = new("Queries", "database.queries");
    public static readonly LabelInfo CustomExceptions = new("Custom Exceptions", "errorHandling.customExceptions");
    public static readonly LabelInfo ErrorResponses = new("Error Responses", "errorHandling.errorResponses");
    public static readonly LabelInfo RequiredPermissions = new("Required Permissions", "auth.requiredPermissions");
    public static readonly LabelInfo TokenValidation = new("Token Validation", "auth.tokenValidation");
    public static readonly LabelInfo RoleBasedAccess = new("Role-based Access", "auth.roleBasedAccess");
    public static readonly LabelInfo CacheKeys = new("Cache Keys", "caching.cacheKeys");
    public static readonly LabelInfo CacheDuration = new("Cache Duration", "caching.cacheDuration");
    public static readonly LabelInfo InvalidationStrategy = new("Invalidation Strategy", "caching.invalidationStrategy");
    public static readonly LabelInfo UnitTests = new("Unit Tests", "testing.unitTests");
    public static readonly LabelInfo IntegrationTests = new("Integration Tests", "testing.integrationTests");
    public static readonly LabelInfo QueryOptimization = new("Query Optimization", "performance.queryOptimization");
    public static readonly LabelInfo CachingStrategy = new("Caching Strategy", "performance.cachingStrategy");
    public static readonly LabelInfo AsyncOperations = new("Async Operations", "performance.asyncOperations");
    public static readonly LabelInfo InputValidation = new("Input Validation", "security.inputValidation");
    public static readonly LabelInfo DataSanitization = new("Data Sanitization", "security.dataSanitization");
    public static readonly LabelInfo RateLimiting = new("Rate Limiting", "security.rateLimiting");
    public static readonly LabelInfo ImplementationDetails = new("Implementation Details", "notes.implementationDetails");
    public static readonly LabelInfo KnownIssues = new("Known Issues", "notes.knownIssues");
    public static readonly LabelInfo FutureImprovements = new("Future Improvements", "notes.futureImprovements");

    private static readonly Dictionary<string, SectionInfo> ByKey = BuildIndex();

    public static SectionInfo Get(SectionKind kind) => All[(int)kind];

    /// <summary>The template section a heading names: case, punctuation, spacing and a leading number ignored.</summary>
    public static SectionInfo? Find(string heading) => ByKey.GetValueOrDefault(Key(heading));

    public static bool IsTemplateTitle(string heading) => Key(heading) == Key(TemplateTitle);

    /// <summary>Letters and digits only, lower-cased, without a leading "3." / "3)" numbering.</summary>
    public static string Key(string text)
    {
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            digits++;
        }
        if (digits > 0 && digits < span.Length && span[digits] is '.' or ')')
        {
            span = span[(digits + 1)..];
        }

        var builder = new StringBuilder(span.Length);
        foreach (var c in span)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    private static Dictionary<string, SectionInfo> BuildIndex()
    {
        var index = new Dictionary<string, SectionInfo>(StringComparer.Ordinal);
        foreach (var section in All)
        {
            index[Key(section.Heading)] = section;
            foreach (var alias in section.Aliases)
            {
                index[alias] = section;
            }
        }
        return index;
    }
}
