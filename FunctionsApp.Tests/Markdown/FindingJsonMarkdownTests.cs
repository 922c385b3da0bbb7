using System.Text.Json;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class FindingJsonMarkdownTests
{
    [TestMethod]
    public void Serialize_Finding_UsesContractShape()
    {
        var finding = new Finding(FindingRules.PlaceholderLeft, FindingSeverity.Warning, "caching.cacheKeys", "Fill it in.");

        var json = JsonSerializer.Serialize(finding, CatalogJson.Options);

        Assert.AreEqual("{\"rule\":\"placeholder-left\",\"severity\":\"warning\",\"section\":\"caching.cacheKeys\",\"message\":\"Fill it in.\"}", json);
    }

    [TestMethod]
    public void Serialize_ModelTextFields_AreAdditiveCamelCase()
    {
        var document = new ComponentDocument
        {
            Caching = new CachingSection { Text = "a" },
            RelatedComponentsText = "b",
        };

        var json = JsonSerializer.Serialize(document, CatalogJson.Options);

        Assert.AreEqual("{\"caching\":{\"text\":\"a\"},\"relatedComponentsText\":\"b\"}", json);
    }
}
