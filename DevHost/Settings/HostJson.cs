using System.Globalization;
using System.Text.Json;

namespace DevHost.Settings;

/// <summary>The parts of <c>host.json</c> the dev host honours.</summary>
internal sealed record HostJson(string RoutePrefix, TimeSpan FunctionTimeout)
{
    public static HostJson Default { get; } = new("api", TimeSpan.FromMinutes(5));

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static HostJson Load(string path) => File.Exists(path) ? Parse(File.ReadAllText(path)) : Default;

    public static HostJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json, JsonOptions);
        var root = document.RootElement;
        var prefix = Default.RoutePrefix;
        if (TryGet(root, out var extensions, "extensions") && TryGet(extensions, out var http, "http")
            && TryGet(http, out var routePrefix, "routePrefix") && routePrefix.ValueKind == JsonValueKind.String)
        {
            prefix = routePrefix.GetString()!.Trim('/');
        }

        var timeout = Default.FunctionTimeout;
        if (TryGet(root, out var functionTimeout, "functionTimeout") && functionTimeout.ValueKind == JsonValueKind.String
            && TimeSpan.TryParse(functionTimeout.GetString(), CultureInfo.InvariantCulture, out var parsed))
        {
            timeout = parsed <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : parsed;
        }
        return new HostJson(prefix, timeout);
    }

    private static bool TryGet(JsonElement element, out JsonElement value, string name)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }
}
