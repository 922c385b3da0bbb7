using ComponentCatalog.Model;

namespace ComponentCatalog.Markdown;

/// <summary>
/// Brings a document to the canonical form the Markdown parser produces: strings in their canonical forms
/// (<see cref="Canonical"/>), empty lists and sections with no content as null. Placeholders are not removed.
/// </summary>
internal static class DocumentNormalizer
{
    public static ComponentDocument Normalize(ComponentDocument d) => d with
    {
        Name = Canonical.Line(d.Name),
        Title = Canonical.Line(d.Title),
        FileLocation = d.FileLocation is null ? null : Canonical.Line(CodeSpans.Unwrap(Canonical.Line(d.FileLocation) ?? string.Empty)),
        Description = Canonical.Prose(d.Description),
        Dependencies = Section(d.Dependencies is { } dep
            ? new DependenciesSection { ExternalLibraries = Items(dep.ExternalLibraries), InternalModules = Items(dep.InternalModules), Text = Canonical.Prose(dep.Text) }
            : null),
        ClassStructure = Content(d.ClassStructure),
        DataModels = Content(d.DataModels),
        ApiEndpoints = Section(d.ApiEndpoints is { } api
            ? new ApiEndpointsSection
            {
                Endpoints = List(api.Endpoints?.Select(e => new ApiEndpoint
                {
                    Method = e.Method.Trim().ToUpperInvariant(),
                    Route = Canonical.Line(e.Route) ?? string.Empty,
                    Description = Canonical.ItemProse(e.Description),
                })),
                Text = Canonical.Prose(api.Text),
                Code = Code(api.Code),
            }
            : null),
        Database = Section(d.Database is { } db
            ? new DatabaseSection { Models = Items(db.Models), Queries = Items(db.Queries), Text = Canonical.Prose(db.Text) }
            : null),
        ErrorHandling = Section(d.ErrorHandling is { } eh
            ? new ErrorHandlingSection { CustomExceptions = Content(eh.CustomExceptions), ErrorResponses = Content(eh.ErrorResponses), Text = Canonical.Prose(eh.Text) }
            : null),
        Auth = Section(d.Auth is { } auth
            ? new AuthSection
            {
                RequiredPermissions = Canonical.ItemProse(auth.RequiredPermissions),
                TokenValidation = Canonical.ItemProse(auth.TokenValidation),
                RoleBasedAccess = Canonical.ItemProse(auth.RoleBasedAccess),
                Text = Canonical.Prose(auth.Text),
            }
            : null),
        Caching = Section(d.Caching is { } cache
            ? new CachingSection
            {
                CacheKeys = Canonical.ItemProse(cache.CacheKeys),
                CacheDuration = Canonical.ItemProse(cache.CacheDuration),
                InvalidationStrategy = Canonical.ItemProse(cache.InvalidationStrategy),
                Text = Canonical.Prose(cache.Text),
            }
            : null),
        Logging = Content(d.Logging),
        Testing = Section(d.Testing is { } testing
            ? new TestingSection { UnitTests = Content(testing.UnitTests), IntegrationTests = Content(testing.IntegrationTests), Text = Canonical.Prose(testing.Text) }
            : null),
        Performance = Section(d.Performance is { } perf
            ? new PerformanceSection
            {
                QueryOptimization = Canonical.ItemProse(perf.QueryOptimization),
                CachingStrategy = Canonical.ItemProse(perf.CachingStrategy),
                AsyncOperations = Canonical.ItemProse(perf.AsyncOperations),
                Text = Canonical.Prose(perf.Text),
            }
            : null),
        Security = Section(d.Security is { } sec
            ? new SecuritySection
            {
                InputValidation = Canonical.ItemProse(sec.InputValidation),
                DataSanitization = Canonical.ItemProse(sec.DataSanitization),
                RateLimiting = Canonical.ItemProse(sec.RateLimiting),
                Text = Canonical.Prose(sec.Text),
            }
            : null),
        UsageExample = Content(d.UsageExample),
        RelatedComponents = List(d.RelatedComponents?.Select(r => new RelatedComponent(Canonical.Line(r.Name) ?? string.Empty, Canonical.ItemProse(r.Relationship)))),
        RelatedComponentsText = Canonical.Prose(d.RelatedComponentsText),
        Notes = Section(d.Notes is { } notes
            ? new NotesSection
            {
                ImplementationDetails = Canonical.ItemProse(notes.ImplementationDetails),
                KnownIssues = Canonical.ItemProse(notes.KnownIssues),
                FutureImprovements = Canonical.ItemProse(notes.FutureImprovements),
                Text = Canonical.Prose(notes.Text),
            }
            : null),
        ExtraSections = List(d.ExtraSections?.Select(e => new ExtraSection(Canonical.Line(e.Heading) ?? string.Empty, Canonical.ExtraBody(e.Body)))),
        Owner = Canonical.Line(d.Owner),
        Tags = List(d.Tags?.Select(t => t.Trim())),
    };

    private static ContentSection? Content(ContentSection? section) =>
        Section(section is null ? null : new ContentSection { Text = Canonical.Prose(section.Text), Code = Code(section.Code) });

    private static EquatableList<CodeBlock>? Code(IEnumerable<CodeBlock>? code) =>
        List(code?.Select(c => new CodeBlock(Canonical.Line(c.Language), Canonical.Code(c.Code))));

    private static EquatableList<NamedItem>? Items(IEnumerable<NamedItem>? items) =>
        List(items?.Select(i => new NamedItem(Canonical.Line(i.Name) ?? string.Empty, Canonical.ItemProse(i.Purpose))));

    private static EquatableList<T>? List<T>(IEnumerable<T>? items) =>
        items?.ToEquatableList() is { Count: > 0 } list ? list : null;

    /// <summary>A section whose every field is null is no section.</summary>
    private static T? Section<T>(T? section) where T : class, new() =>
        section is null || section.Equals(new T()) ? null : section;
}
