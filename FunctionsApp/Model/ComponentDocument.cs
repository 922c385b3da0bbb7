namespace ComponentCatalog.Model;

/// <summary>
/// One component's documentation: every section of the template as typed data, plus catalog
/// metadata (owner, tags, lifecycle, reviewedAt) and the server-set fields (revision, timestamps).
/// Records compare by value; collections use <see cref="EquatableList{T}"/> so two documents with
/// the same content are equal (the Markdown round-trip property relies on it).
/// </summary>
internal sealed record ComponentDocument
{
    /// <summary>The id in URLs; <c>slug(title)</c> when a document is created without one.</summary>
    public string? Name { get; init; }

    /// <summary>The template's <em>Component Name</em>.</summary>
    public string? Title { get; init; }

    public string? FileLocation { get; init; }
    public string? Description { get; init; }
    public DependenciesSection? Dependencies { get; init; }
    public ContentSection? ClassStructure { get; init; }
    public ContentSection? DataModels { get; init; }
    public ApiEndpointsSection? ApiEndpoints { get; init; }
    public DatabaseSection? Database { get; init; }
    public ErrorHandlingSection? ErrorHandling { get; init; }
    public AuthSection? Auth { get; init; }
    public CachingSection? Caching { get; init; }
    public ContentSection? Logging { get; init; }
    public TestingSection? Testing { get; init; }
    public PerformanceSection? Performance { get; init; }
    public SecuritySection? Security { get; init; }
    public ContentSection? UsageExample { get; init; }
    public EquatableList<RelatedComponent>? RelatedComponents { get; init; }

    /// <summary>Prose of the Related Components section outside its list (Markdown).</summary>
    public string? RelatedComponentsText { get; init; }

    public NotesSection? Notes { get; init; }

    /// <summary>Sections the template does not know, kept in order and rendered after Notes.</summary>
    public EquatableList<ExtraSection>? ExtraSections { get; init; }

    // Catalog metadata the template lacks.
    public string? Owner { get; init; }
    public EquatableList<string>? Tags { get; init; }
    public Lifecycle? Lifecycle { get; init; }
    public DateTimeOffset? ReviewedAt { get; init; }

    // Server-set; rejected when a client sends them.
    public int? Revision { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }
}

internal enum Lifecycle
{
    Experimental,
    Production,
    Deprecated,
}

/// <summary>A fenced code block; <see cref="Language"/> is the fence's info string.</summary>
internal sealed record CodeBlock(string? Language, string Code);

/// <summary>A name with what it is for: a library, a module, a DB model or a query.</summary>
internal sealed record NamedItem(string Name, string? Purpose);

/// <summary>Prose followed by code blocks: the shape of the template's code-only sections.</summary>
internal sealed record ContentSection
{
    public string? Text { get; init; }
    public EquatableList<CodeBlock>? Code { get; init; }
}

internal sealed record DependenciesSection
{
    public EquatableList<NamedItem>? ExternalLibraries { get; init; }
    public EquatableList<NamedItem>? InternalModules { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record ApiEndpoint
{
    public required string Method { get; init; }
    public required string Route { get; init; }
    public string? Description { get; init; }
}

internal sealed record ApiEndpointsSection
{
    public EquatableList<ApiEndpoint>? Endpoints { get; init; }
    public string? Text { get; init; }
    public EquatableList<CodeBlock>? Code { get; init; }
}

internal sealed record DatabaseSection
{
    public EquatableList<NamedItem>? Models { get; init; }
    public EquatableList<NamedItem>? Queries { get; init; }
    public string? Text { get; init; }
}

internal sealed record ErrorHandlingSection
{
    public ContentSection? CustomExceptions { get; init; }
    public ContentSection? ErrorResponses { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record AuthSection
{
    public string? RequiredPermissions { get; init; }
    public string? TokenValidation { get; init; }
    public string? RoleBasedAccess { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record CachingSection
{
    public string? CacheKeys { get; init; }
    public string? CacheDuration { get; init; }
    public string? InvalidationStrategy { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record TestingSection
{
    public ContentSection? UnitTests { get; init; }
    public ContentSection? IntegrationTests { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record PerformanceSection
{
    public string? QueryOptimization { get; init; }
    public string? CachingStrategy { get; init; }
    public string? AsyncOperations { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record SecuritySection
{
    public string? InputValidation { get; init; }
    public string? DataSanitization { get; init; }
    public string? RateLimiting { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

internal sealed record RelatedComponent(string Name, string? Relationship);

internal sealed record NotesSection
{
    public string? ImplementationDetails { get; init; }
    public string? KnownIssues { get; init; }
    public string? FutureImprovements { get; init; }

    /// <summary>Prose of the section outside its sub-items (Markdown).</summary>
    public string? Text { get; init; }
}

/// <summary>A section the template does not name: its heading and its Markdown body, verbatim.</summary>
internal sealed record ExtraSection(string Heading, string Body);
