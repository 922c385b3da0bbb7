using ComponentCatalog.Search;

namespace ComponentCatalog.Tests.Search;

[TestClass]
public sealed class TextTokenizerTests
{
    [TestMethod]
    [DataRow("Refunds and the REFUND policies", "refund refund policy")]
    [DataRow("Café crème, status: OK", "cafe creme status ok")]
    [DataRow("class address business", "class address business")]
    [DataRow("支付服务 v2", "支 付 服 务 v2")]
    [DataRow("a I 7", "7")]
    public void Tokens_FoldCaseAccentsPluralsAndSplitIdeographs(string text, string expected)
    {
        Assert.AreEqual(expected, string.Join(' ', TextTokenizer.Tokens(text)));
    }
}
