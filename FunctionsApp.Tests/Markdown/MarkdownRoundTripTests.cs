using System.Text.Json;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class MarkdownRoundTripTests
{
    private const int Documents = 400;
    private static readonly MarkdownTemplate Template = new();

    [TestMethod]
    public void Generator_AnySeed_ProducesCanonicalDocuments()
    {
        for (var seed = 0; seed < Documents; seed++)
        {
            var document = new DocumentGenerator(seed).Next();

            AssertSame(document, MarkdownTemplate.Normalize(document), $"seed {seed}");
        }
    }

    [TestMethod]
    public void Parse_RenderedGeneratedDocument_EqualsOriginal()
    {
        for (var seed = 0; seed < Documents; seed++)
        {
            var document = new DocumentGenerator(seed).Next();
            var markdown = Template.Render(document);

            var result = Template.Parse(markdown);

            Assert.IsEmpty(result.Findings, $"seed {seed}: {string.Join("; ", result.Findings)}\n{markdown}");
            AssertSame(document, result.Document, $"seed {seed}\n{markdown}");
        }
    }

    [TestMethod]
    public void Render_ParsedRenderedDocument_IsByteForByteStable()
    {
        for (var seed = 0; seed < Documents; seed++)
        {
            var markdown = Template.Render(new DocumentGenerator(seed).Next());

            var again = Template.Render(Template.Parse(markdown).Document);

            Assert.AreEqual(markdown, again, $"seed {seed}");
        }
    }

    [TestMethod]
    public void Parse_RenderedGeneratedDocumentWithCrlf_EqualsOriginal()
    {
        for (var seed = 0; seed < Documents; seed += 7)
        {
            var document = new DocumentGenerator(seed).Next();
            var markdown = Template.Render(document).Replace("\n", "\r\n", StringComparison.Ordinal);

            var result = Template.Parse(markdown);

            AssertSame(document, result.Document, $"seed {seed}");
        }
    }

    internal static void AssertSame(ComponentDocument expected, ComponentDocument actual, string message)
    {
        var expectedJson = JsonSerializer.Serialize(expected, JsonOptions);
        var actualJson = JsonSerializer.Serialize(actual, JsonOptions);
        Assert.AreEqual(expectedJson, actualJson, message);
        Assert.AreEqual(expected, actual, message);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(CatalogJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
