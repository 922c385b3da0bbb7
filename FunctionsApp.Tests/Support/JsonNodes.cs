using System.Text.Json.Nodes;

namespace ComponentCatalog.Tests.Support;

internal static class JsonNodes
{
    /// <summary>The node and everything below it, depth first.</summary>
    public static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }
}
