using System.Text;
using ComponentCatalog.Model;

namespace ComponentCatalog.Markdown;

/// <summary>
/// <see cref="ComponentDocument"/> → Markdown in the template's format: its 18 headings in its order (a section
/// with no content keeps its heading), its sub-structure, code fenced with its language, the catalog metadata as
/// YAML front matter, extra sections after Notes. Server-set fields are not rendered (ETag carries the revision).
/// </summary>
internal static class MarkdownRenderer
{
    /// <param name="onlyHeading">Render just this section (a template heading or an extra section's), without front matter.</param>
    public static string Render(ComponentDocument d, string? onlyHeading = null)
    {
        var output = new StringBuilder(4096);
        if (onlyHeading is null)
        {
            FrontMatter.Write(output, d);
        }

        var first = true;
        void Section(string heading, string body)
        {
            if (onlyHeading is not null && !string.Equals(heading, onlyHeading, StringComparison.Ordinal))
            {
                return;
            }
            if (!first)
            {
                output.Append('\n');
            }
            first = false;
            output.Append("## ").Append(heading).Append('\n');
            if (body.Length > 0)
            {
                output.Append(body).Append('\n');
            }
        }
        string H(SectionKind kind) => TemplateSections.Get(kind).Heading;

        Section(H(SectionKind.ComponentName), d.Title ?? string.Empty);
        Section(H(SectionKind.FileLocation), FileLocation(d.FileLocation));
        Section(H(SectionKind.Description), d.Description ?? string.Empty);
        Section(H(SectionKind.Dependencies), Blocks(
            d.Dependencies?.Text,
            Lines(NamedList(TemplateSections.ExternalLibraries, d.Dependencies?.ExternalLibraries),
                  NamedList(TemplateSections.InternalModules, d.Dependencies?.InternalModules))));
        Section(H(SectionKind.ClassStructure), Content(d.ClassStructure));
        Section(H(SectionKind.DataModels), Content(d.DataModels));
        Section(H(SectionKind.ApiEndpoints), Blocks(
            [d.ApiEndpoints?.Text, Lines([.. (d.ApiEndpoints?.Endpoints ?? EquatableList<ApiEndpoint>.Empty).Select(Endpoint)]), .. Fences(d.ApiEndpoints?.Code)]));
        Section(H(SectionKind.Database), Blocks(
            d.Database?.Text,
            Lines(NamedList(TemplateSections.Models, d.Database?.Models),
                  NamedList(TemplateSections.Queries, d.Database?.Queries))));
        Section(H(SectionKind.ErrorHandling), Blocks(
            d.ErrorHandling?.Text,
            Lines(LabelledContent(TemplateSections.CustomExceptions, d.ErrorHandling?.CustomExceptions),
                  LabelledContent(TemplateSections.ErrorResponses, d.ErrorHandling?.ErrorResponses))));
        Section(H(SectionKind.Auth), Blocks(
            d.Auth?.Text,
            Lines(LabelledText(TemplateSections.RequiredPermissions, d.Auth?.RequiredPermissions),
                  LabelledText(TemplateSections.TokenValidation, d.Auth?.TokenValidation),
                  LabelledText(TemplateSections.RoleBasedAccess, d.Auth?.RoleBasedAccess))));
        Section(H(SectionKind.Caching), Blocks(
            d.Caching?.Text,
            Lines(LabelledText(TemplateSections.CacheKeys, d.Caching?.CacheKeys),
                  LabelledText(TemplateSections.CacheDuration, d.Caching?.CacheDuration),
                  LabelledText(TemplateSections.InvalidationStrategy, d.Caching?.InvalidationStrategy))));
        Section(H(SectionKind.Logging), Content(d.Logging));
        Section(H(SectionKind.Testing), Blocks(
            d.Testing?.Text,
            Lines(LabelledContent(TemplateSections.UnitTests, d.Testing?.UnitTests),
                  LabelledContent(TemplateSections.IntegrationTests, d.Testing?.IntegrationTests))));
        Section(H(SectionKind.Performance), Blocks(
            d.Performance?.Text,
            Lines(LabelledText(TemplateSections.QueryOptimization, d.Performance?.QueryOptimization),
                  LabelledText(TemplateSections.CachingStrategy, d.Performance?.CachingStrategy),
                  LabelledText(TemplateSections.AsyncOperations, d.Performance?.AsyncOperations))));
        Section(H(SectionKind.Security), Blocks(
            d.Security?.Text,
            Lines(LabelledText(TemplateSections.InputValidation, d.Security?.InputValidation),
                  LabelledText(TemplateSections.DataSanitization, d.Security?.DataSanitization),
                  LabelledText(TemplateSections.RateLimiting, d.Security?.RateLimiting))));
        Section(H(SectionKind.UsageExample), Content(d.UsageExample));
        Section(H(SectionKind.RelatedComponents), Blocks(
            d.RelatedComponentsText,
            Lines([.. (d.RelatedComponents ?? EquatableList<RelatedComponent>.Empty).Select(r => Item(string.Empty, r.Name, r.Relationship))])));
        Section(H(SectionKind.Notes), Blocks(
            d.Notes?.Text,
            Lines(LabelledText(TemplateSections.ImplementationDetails, d.Notes?.ImplementationDetails),
                  LabelledText(TemplateSections.KnownIssues, d.Notes?.KnownIssues),
                  LabelledText(TemplateSections.FutureImprovements, d.Notes?.FutureImprovements))));

        foreach (var extra in d.ExtraSections ?? EquatableList<ExtraSection>.Empty)
        {
            Section(extra.Heading, extra.Body);
        }
        return output.ToString();
    }

    /// <summary>A fenced code block: backticks unless the language holds one, the fence longer than any run inside.</summary>
    public static string Fence(CodeBlock block)
    {
        var language = block.Language ?? string.Empty;
        var c = language.Contains('`', StringComparison.Ordinal) ? '~' : '`';
        var fence = new string(c, Math.Max(3, CodeSpans.LongestRun(block.Code, c) + 1));
        var info = language.StartsWith(c) ? " " + language : language;
        return block.Code.Length == 0 ? $"{fence}{info}\n{fence}" : $"{fence}{info}\n{block.Code}\n{fence}";
    }

    private static string FileLocation(string? location) =>
        location is null ? string.Empty
        : location.Contains('\n', StringComparison.Ordinal) ? location
        : CodeSpans.Wrap(location);

    private static string Content(ContentSection? section) => Blocks([section?.Text, .. Fences(section?.Code)]);

    private static IEnumerable<string> Fences(IEnumerable<CodeBlock>? code) => (code ?? []).Select(Fence);

    private static string? NamedList(LabelInfo label, IReadOnlyList<NamedItem>? items) =>
        items is null or { Count: 0 }
            ? null
            : $"- {label.Label}:\n" + string.Join('\n', items.Select(i => Item("  ", i.Name, i.Purpose)));

    private static string? LabelledText(LabelInfo label, string? value) =>
        value is null ? null
        : value.Contains('\n', StringComparison.Ordinal) ? $"- {label.Label}:\n" + Indent(value, "  ")
        : $"- {label.Label}: {value}";

    private static string? LabelledContent(LabelInfo label, ContentSection? section) =>
        section is null ? null : $"- {label.Label}:\n" + Indent(Content(section), "  ");

    private static string Endpoint(ApiEndpoint endpoint) =>
        Item(string.Empty, $"{endpoint.Method} {endpoint.Route}", endpoint.Description);

    /// <summary><c>- name - first line</c>, further lines of the detail indented under it.</summary>
    private static string Item(string indent, string name, string? detail)
    {
        if (detail is null)
        {
            return $"{indent}- {name}";
        }
        var newline = detail.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0
            ? $"{indent}- {name} - {detail}"
            : $"{indent}- {name} - {detail[..newline]}\n" + Indent(detail[(newline + 1)..], indent + "  ");
    }

    private static string Indent(string text, string indent) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : indent + line));

    private static string? Lines(params string?[] items)
    {
        var present = items.Where(i => !string.IsNullOrEmpty(i)).ToArray();
        return present.Length == 0 ? null : string.Join('\n', present);
    }

    private static string Blocks(params IEnumerable<string?> blocks) =>
        string.Join("\n\n", blocks.Where(b => !string.IsNullOrEmpty(b)));
}
