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
}
