using System.Text.Json;

namespace DevHost.Settings;

/// <summary>
/// <c>local.settings.json</c> at the repository root, or <c>local.settings.sample.json</c> when it is absent:
/// the <c>Values</c> and <c>ConnectionStrings</c> Core Tools copies into the worker's environment.
/// </summary>
internal sealed class LocalSettings
{
    public const string FileName = "local.settings.json";
    public const string SampleFileName = "local.settings.sample.json";

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public LocalSettings(IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, string?> connectionStrings, string? source)
    {
        Values = values;
        ConnectionStrings = connectionStrings;
        Source = source;
    }

    public IReadOnlyDictionary<string, string?> Values { get; }

    public IReadOnlyDictionary<string, string?> ConnectionStrings { get; }

    /// <summary>The file the settings came from; null when neither file exists.</summary>
    public string? Source { get; }

    public static LocalSettings Empty { get; } = new(new Dictionary<string, string?>(), new Dictionary<string, string?>(), null);

    public static LocalSettings Load(string directory)
    {
        foreach (var name in new[] { FileName, SampleFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return Parse(File.ReadAllText(path), path);
            }
        }
        return Empty;
    }

    public static LocalSettings Parse(string json, string? source = null)
    {
        using var document = JsonDocument.Parse(json, JsonOptions);
        return new LocalSettings(ReadSection(document.RootElement, "Values"), ReadSection(document.RootElement, "ConnectionStrings"), source);
    }

    private static Dictionary<string, string?> ReadSection(JsonElement root, string name)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString(),
                    _ => property.Value.GetRawText(),
                };
            }
        }
        return result;
    }
}
