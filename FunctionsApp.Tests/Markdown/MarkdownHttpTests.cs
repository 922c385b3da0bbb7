using System.Net;
using System.Text;
using System.Text.Json;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Http;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Markdown;

/// <summary>The HTTP edges of the Markdown representation: reading bodies, negotiating responses, GET /template.</summary>
[TestClass]
public sealed class MarkdownHttpTests
{
    private const int Limit = 512 * 1024;
    private static readonly MarkdownTemplate Template = new();

    private static FakeRequest Post(string body, string contentType) =>
        new(FakeContext.As(null), "POST", "/api/components", body, contentType);

    [TestMethod]
    public async Task ReadAsync_MarkdownBody_ParsesDocument()
    {
        var request = Post("---\nowner: payments\n---\n## Component Name\nPayments API\n", "text/markdown; charset=utf-8");

        var document = (await DocumentBodies.ReadAsync(request, Limit, Template)).Document;

        Assert.AreEqual(new ComponentDocument { Title = "Payments API", Owner = "payments" }, document);
    }

    [TestMethod]
    public async Task ReadAsync_MarkdownWithDuplicateSection_ThrowsValidation()
    {
        var request = Post("## Component Name\nA\n## Component Name\nB\n", "text/markdown");

        var e = await Assert.ThrowsExactlyAsync<ValidationException>(() => DocumentBodies.ReadAsync(request, Limit, Template));

        Assert.IsTrue(e.Errors.ContainsKey("title"));
        Assert.AreEqual(HttpStatusCode.BadRequest, ProblemMapper.Map(e).Status);
    }

    [TestMethod]
    public async Task ReadAsync_MarkdownBodyAtLimitWithNonAscii_Parses()
    {
        var line = "Beschreibung mit Umlauten äöü und 日本語 🚀\n";
        var header = "## Component Name\nBig\n## Description\n";
        var builder = new StringBuilder(header);
        while (Encoding.UTF8.GetByteCount(builder.ToString()) + Encoding.UTF8.GetByteCount(line) <= Limit)
        {
            builder.Append(line);
        }
        var body = builder.ToString();
        var request = Post(body, "text/markdown");

        var document = (await DocumentBodies.ReadAsync(request, Limit, Template)).Document;

        Assert.AreEqual(body[header.Length..].TrimEnd(), document.Description);
    }

    [TestMethod]
    public async Task ReadAsync_MarkdownBodyOverLimit_ThrowsPayloadTooLarge()
    {
        var request = Post("## Description\n" + new string('a', Limit), "text/markdown");

        var e = await Assert.ThrowsExactlyAsync<PayloadTooLargeException>(() => DocumentBodies.ReadAsync(request, Limit, Template));

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, ProblemMapper.Map(e).Status);
    }

    [TestMethod]
    public async Task ReadAsync_PathologicalNesting_ThrowsValidation()
    {
        var request = Post("## Description\n" + new string('>', 100_000), "text/markdown");

        var e = await Assert.ThrowsExactlyAsync<ValidationException>(() => DocumentBodies.ReadAsync(request, Limit, Template));

        Assert.IsTrue(e.Errors.ContainsKey("body"));
    }

    [TestMethod]
    public async Task ReadAsync_PlainText_ThrowsUnsupportedMediaType()
    {
        var request = Post("## Component Name\nX", "text/plain");

        var e = await Assert.ThrowsExactlyAsync<UnsupportedMediaTypeException>(() => DocumentBodies.ReadAsync(request, Limit, Template));

        Assert.Contains("text/markdown", e.Message);
    }

    [TestMethod]
    public async Task WriteAsync_AcceptMarkdown_WritesTheRenderedDocument()
    {
        var document = new ComponentDocument { Name = "pay", Title = "Pay", Revision = 2 };
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/components/pay").WithHeader("Accept", "text/markdown");

        var response = (FakeResponse)await DocumentResponses.WriteAsync(request, new StoredDocument(document, "\"2\""), Template);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/markdown; charset=utf-8", response.Header("Content-Type"));
        Assert.AreEqual("\"2\"", response.Header("ETag"));
        Assert.AreEqual("Accept, Accept-Encoding", response.Header("Vary"));
        Assert.AreEqual(Template.Render(document), Encoding.UTF8.GetString(response.BodyBytes));
    }

    [TestMethod]
    public async Task WriteAsync_NoAccept_WritesJson()
    {
        var document = new ComponentDocument { Name = "pay", Title = "Pay" };
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/components/pay");

        var response = (FakeResponse)await DocumentResponses.WriteAsync(request, new StoredDocument(document, "\"1\""), Template, HttpStatusCode.Created);

        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode);
        Assert.AreEqual(Responses.Json, response.Header("Content-Type"));
        Assert.AreEqual(document, JsonSerializer.Deserialize<ComponentDocument>(response.BodyBytes, CatalogJson.Options));
    }

    [TestMethod]
    public async Task WriteAsync_AcceptExcludesBoth_ThrowsNotAcceptable()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/components/pay").WithHeader("Accept", "image/png");

        var e = await Assert.ThrowsExactlyAsync<NotAcceptableException>(
            () => DocumentResponses.WriteAsync(request, new StoredDocument(new ComponentDocument(), "\"1\""), Template));

        Assert.AreEqual(HttpStatusCode.NotAcceptable, ProblemMapper.Map(e).Status);
    }

    [TestMethod]
    public async Task GetTemplate_Anonymous_ReturnsTheTemplateVerbatim()
    {
        var request = new FakeRequest(FakeContext.As(null), "GET", "/api/template");

        var response = (FakeResponse)await new TemplateFunctions().GetTemplate(request, CancellationToken.None);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/markdown; charset=utf-8", response.Header("Content-Type"));
        var shipped = File.ReadAllBytes(Path.Combine(global::DevHost.RepoPaths.Root, "FunctionsApp", "Markdown", "component-doc-template.md"));
        Assert.IsTrue(shipped.AsSpan().SequenceEqual(response.BodyBytes), "the body is the template file, byte for byte");
    }

    [TestMethod]
    public void EmbeddedTemplate_IsTheSharedTemplate()
    {
        var shared = Path.Combine(global::DevHost.RepoPaths.Root, "..", "shared", "template", "component-doc-template.md");
        if (!File.Exists(shared))
        {
            Assert.Inconclusive("The shared template is not next to this checkout.");
        }

        Assert.AreEqual(File.ReadAllText(shared), new MarkdownTemplate().BlankTemplate);
    }

    [TestMethod]
    public async Task PostThenGet_MarkdownRoundTripsThroughTheWireFormat()
    {
        var document = new DocumentGenerator(42).Next() with { Revision = null };
        var markdown = Template.Render(document);

        var read = (await DocumentBodies.ReadAsync(Post(markdown, "text/markdown"), Limit, Template)).Document;
        var response = (FakeResponse)await DocumentResponses.WriteAsync(
            new FakeRequest(FakeContext.As(null), "GET", "/api/components/x").WithHeader("Accept", "text/markdown"), new StoredDocument(read, "\"1\""), Template);

        Assert.AreEqual(document, read);
        Assert.AreEqual(markdown, Encoding.UTF8.GetString(response.BodyBytes));
    }
}
