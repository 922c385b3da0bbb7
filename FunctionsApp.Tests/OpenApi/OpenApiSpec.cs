using System.Text.Json.Nodes;
using ComponentCatalog.OpenApi;

namespace ComponentCatalog.Tests.OpenApi;

/// <summary>One operation of the OpenAPI document; <see cref="Path"/> is relative to the server URL (<c>/api</c>).</summary>
internal sealed record SpecOperation(string Method, string Path, JsonObject Operation, JsonObject PathItem, string Server = "")
{
    public string Key => $"{Method} {Path}";

    /// <summary>Method and the URL path a client calls (server URL + path), as <see cref="FunctionRoute.Key"/> has it.</summary>
    public string UrlKey => $"{Method} {Server.TrimEnd('/')}{Path}";

    public string? OperationId => (string?)Operation["operationId"];

    public bool Planned => (string?)Operation["x-catalog-status"] == "planned";
}

/// <summary>The embedded document, parsed.</summary>
internal static class OpenApiSpec
{
    public static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static JsonObject Document => (JsonObject)JsonNode.Parse(OpenApiDocument.Utf8.Span)!;

    public static IReadOnlyList<SpecOperation> Operations(JsonObject document) =>
    [
        .. from path in document["paths"]!.AsObject()
           from member in path.Value!.AsObject()
           where HttpMethods.Contains(member.Key)
           select new SpecOperation(member.Key.ToUpperInvariant(), path.Key, member.Value!.AsObject(), path.Value!.AsObject(), Server(document)),
    ];

    /// <summary>The first server's URL: <c>/api</c>, the prefix every API function route carries.</summary>
    public static string Server(JsonObject document) => (string?)document["servers"]?[0]?["url"] ?? string.Empty;

    /// <summary>Follows a local <c>$ref</c> (<c>#/components/…</c>); null when it does not resolve.</summary>
    public static JsonNode? Resolve(JsonObject document, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }
        JsonNode? node = document;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(segment.Replace("~1", "/").Replace("~0", "~"), out var next) ? next : null;
        }
        return node;
    }

    /// <summary>The node itself, or what its <c>$ref</c> points to.</summary>
    public static JsonObject Deref(JsonObject document, JsonNode node) =>
        node is JsonObject obj && obj["$ref"] is JsonValue r ? (JsonObject)Resolve(document, (string)r!)! : (JsonObject)node;

}
