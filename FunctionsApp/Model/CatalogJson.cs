using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComponentCatalog.Model;

/// <summary>The one set of JSON rules for the wire and for storage.</summary>
internal static class CatalogJson
{
    /// <summary>Writing: camelCase, nulls omitted, enums as camelCase strings.</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: false);

    /// <summary>
    /// Reading client bodies: unknown members, duplicate keys and deep nesting are errors,
    /// so a misspelt or server-owned field is reported instead of silently dropped.
    /// </summary>
    public static JsonSerializerOptions Strict { get; } = Create(strict: true);

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 32,
            AllowDuplicateProperties = !strict,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            PropertyNameCaseInsensitive = false,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
