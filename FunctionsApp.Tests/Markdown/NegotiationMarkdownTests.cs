using ComponentCatalog.Errors;
using ComponentCatalog.Http;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class NegotiationMarkdownTests
{
    [TestMethod]
    [DataRow(null, DocumentFormat.Json)]
    [DataRow("", DocumentFormat.Json)]
    [DataRow("*/*", DocumentFormat.Json)]
    [DataRow("application/json", DocumentFormat.Json)]
    [DataRow("text/markdown", DocumentFormat.Markdown)]
    [DataRow("TEXT/MARKDOWN; charset=utf-8", DocumentFormat.Markdown)]
    [DataRow("text/markdown, */*;q=0.1", DocumentFormat.Markdown)]
    [DataRow("text/markdown, */*", DocumentFormat.Markdown)]
    [DataRow("text/*", DocumentFormat.Markdown)]
    [DataRow("application/json;q=0.5, text/markdown;q=0.9", DocumentFormat.Markdown)]
    [DataRow("application/json, text/markdown", DocumentFormat.Json)]
    [DataRow("text/markdown;q=0.4, application/*", DocumentFormat.Json)]
    [DataRow("text/html,application/xhtml+xml,*/*;q=0.8", DocumentFormat.Json)]
    [DataRow("*/*, application/json;q=0", DocumentFormat.Markdown)]
    [DataRow("not a media type", DocumentFormat.Json)]
    public void Choose_AcceptHeader_PicksRepresentation(string? accept, object expected)
    {
        Assert.AreEqual((DocumentFormat)expected, Negotiation.Choose(accept));
    }

    [TestMethod]
    [DataRow("text/plain")]
    [DataRow("application/xml, text/html")]
    [DataRow("*/*;q=0")]
    [DataRow("application/json;q=0, text/markdown;q=0")]
    public void Choose_AcceptExcludingBoth_ThrowsNotAcceptable(string accept)
    {
        Assert.ThrowsExactly<NotAcceptableException>(() => Negotiation.Choose(accept));
    }

    [TestMethod]
    [DataRow(null, false)]
    [DataRow("", false)]
    [DataRow("gzip", true)]
    [DataRow("GZIP", true)]
    [DataRow("x-gzip", true)]
    [DataRow("gzip, deflate, br", true)]
    [DataRow("br;q=1.0, gzip;q=0.5", true)]
    [DataRow("*", true)]
    [DataRow("gzip;q=0", false)]
    [DataRow("*;q=1, gzip;q=0", false)]
    [DataRow("*;q=0", false)]
    [DataRow("identity", false)]
    [DataRow("br, deflate", false)]
    [DataRow("gzip;q=abc", false)]
    public void AcceptsGzip_AcceptEncoding_DecidesCompression(string? acceptEncoding, bool expected)
    {
        Assert.AreEqual(expected, Negotiation.AcceptsGzip(acceptEncoding));
    }
}
