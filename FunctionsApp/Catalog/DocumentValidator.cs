using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;

namespace ComponentCatalog.Catalog;

/// <summary>Field-level checks of a document a client sent, with messages a person can act on.</summary>
internal static partial class DocumentValidator
{
    public const int MaxTitleLength = 200;
    public const int MaxTags = 30;
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>Throws <see cref="ValidationException"/> listing every problem found.</summary>
    public static void EnsureValid(ComponentDocument document)
    {
        var errors = Validate(document);
        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }
    }

    public static Dictionary<string, string[]> Validate(ComponentDocument d)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        if (d.Revision is not null) Add("revision", "Is set by the server; remove it from the body.");
        if (d.CreatedAt is not null) Add("createdAt", "Is set by the server; remove it from the body.");
        if (d.UpdatedAt is not null) Add("updatedAt", "Is set by the server; remove it from the body.");
        if (d.UpdatedBy is not null) Add("updatedBy", "Is set by the server; remove it from the body.");

        if (d.Name is not null && !Names.IsValid(d.Name))
        {
            Add("name", "Use 1–63 lowercase letters, digits or '-', not starting or ending with '-'.");
        }

        if (string.IsNullOrWhiteSpace(d.Title))
        {
            Add("title", "The Component Name is required.");
        }
        else if (d.Title.Length > MaxTitleLength)
        {
            Add("title", $"Keep the Component Name to {MaxTitleLength} characters or fewer.");
        }
        else if (d.Title.Contains('\n') || d.Title.Contains('\r'))
        {
            Add("title", "The Component Name must be a single line.");
        }
        else if (d.Name is null && Names.Slug(d.Title).Length == 0)
        {
            Add("name", "No name can be derived from this title; send a 'name' of lowercase letters, digits and '-'.");
        }

        if (d.Owner is not null && !Names.IsValid(d.Owner))
        {
            Add("owner", "A team id: 1–63 lowercase letters, digits or '-'.");
        }

        if (d.Tags is { } tags)
        {
            if (tags.Count > MaxTags) Add("tags", $"At most {MaxTags} tags.");
            for (var i = 0; i < tags.Count; i++)
            {
                if (!TagPattern().IsMatch(tags[i] ?? string.Empty))
                {
                    Add($"tags[{i}]", "A tag is 1–50 lowercase letters, digits, '.', '_' or '-'.");
                }
            }
            if (tags.Distinct(StringComparer.Ordinal).Count() != tags.Count) Add("tags", "Tags must not repeat.");
        }

        CheckItems(d.Dependencies?.ExternalLibraries, "dependencies.externalLibraries", Add);
        CheckItems(d.Dependencies?.InternalModules, "dependencies.internalModules", Add);
        CheckItems(d.Database?.Models, "database.models", Add);
        CheckItems(d.Database?.Queries, "database.queries", Add);

        if (d.RelatedComponents is { } related)
        {
            for (var i = 0; i < related.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(related[i]?.Name)) Add($"relatedComponents[{i}].name", "A related component needs a name.");
            }
        }

        if (d.ApiEndpoints?.Endpoints is { } endpoints)
        {
            for (var i = 0; i < endpoints.Count; i++)
            {
                if (!Methods.Contains(endpoints[i]?.Method?.ToUpperInvariant()))
                {
                    Add($"apiEndpoints.endpoints[{i}].method", $"Use one of {string.Join(", ", Methods)}.");
                }
                if (string.IsNullOrWhiteSpace(endpoints[i]?.Route))
                {
                    Add($"apiEndpoints.endpoints[{i}].route", "An endpoint needs a route, e.g. /orders/{id}.");
                }
            }
        }

        if (d.ExtraSections is { } extra)
        {
            for (var i = 0; i < extra.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(extra[i]?.Heading)) Add($"extraSections[{i}].heading", "An extra section needs a heading.");
                else if (Markdown.TemplateSections.Find(extra[i].Heading) is { } known)
                {
                    Add($"extraSections[{i}].heading", $"'{extra[i].Heading}' is the template's '{known.Heading}' section; use its field instead.");
                }
                else if (extra[i].Heading.Contains('\n') || extra[i].Heading.Contains('\r'))
                {
                    Add($"extraSections[{i}].heading", "A heading must be a single line.");
                }
            }
        }

        CheckStrings(JsonSerializer.SerializeToNode(d, CatalogJson.Options), string.Empty, Add);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void CheckItems(EquatableList<NamedItem>? items, string path, Action<string, string> add)
    {
        if (items is null) return;
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]?.Name)) add($"{path}[{i}].name", "Each entry needs a name.");
        }
    }

    /// <summary>No control characters but tab and line breaks, anywhere in the document.</summary>
    private static void CheckStrings(JsonNode? node, string path, Action<string, string> add)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    CheckStrings(value, path.Length == 0 ? key : $"{path}.{key}", add);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckStrings(array[i], $"{path}[{i}]", add);
                }
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                if (text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
                {
                    add(path, "Contains control characters; remove them.");
                }
                break;
        }
    }

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,49}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
