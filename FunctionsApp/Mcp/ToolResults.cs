using System.Text.Json;
using ComponentCatalog.Model;
using ModelContextProtocol.Protocol;

namespace ComponentCatalog.Mcp;

/// <summary>Tool results within the size cap: text or the catalog's JSON, cut with a note saying how to get the rest.</summary>
internal static class ToolResults
{
    public static CallToolResult Json<T>(T value, int maxChars, string howToGetRest) =>
        JsonText(JsonSerializer.Serialize(value, CatalogJson.Options), maxChars, howToGetRest);

    public static CallToolResult JsonText(string json, int maxChars, string howToGetRest) =>
        json.Length <= maxChars
            ? new CallToolResult { Content = [new TextContentBlock { Text = json }], StructuredContent = JsonDocument.Parse(json).RootElement.Clone() }
            : Cut(json, maxChars, howToGetRest);

    public static CallToolResult Text(string text, int maxChars, string howToGetRest) =>
        text.Length <= maxChars ? new CallToolResult { Content = [new TextContentBlock { Text = text }] } : Cut(text, maxChars, howToGetRest);

    public static CallToolResult Error(string message) =>
        new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    /// <summary>The first <paramref name="maxChars"/> characters, then a second block that says so.</summary>
    public static CallToolResult Cut(string text, int maxChars, string howToGetRest)
    {
        var end = maxChars;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }
        return new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = text[..end] },
                new TextContentBlock { Text = $"[truncated: showing {end} of {text.Length} characters. {howToGetRest}]" },
            ],
        };
    }
}
