using System.Text.Json.Nodes;
using ComponentCatalog.Catalog;

namespace ComponentCatalog.Tests.Catalog;

/// <summary>The examples of RFC 7396 appendix A.</summary>
[TestClass]
public sealed class MergePatchTests
{
    [TestMethod]
    [DataRow("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [DataRow("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [DataRow("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [DataRow("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [DataRow("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [DataRow("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [DataRow("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [DataRow("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [DataRow("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [DataRow("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [DataRow("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_RfcExamples(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }
}
