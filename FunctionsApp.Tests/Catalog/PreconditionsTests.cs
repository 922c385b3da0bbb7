using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Tests.Catalog;

[TestClass]
public sealed class PreconditionsTests
{
    [TestMethod]
    [DataRow(null, "\"3\"", true)]
    [DataRow("*", "\"3\"", true)]
    [DataRow("\"3\"", "\"3\"", true)]
    [DataRow("\"2\", \"3\"", "\"3\"", true)]
    [DataRow("\"2\"", "\"3\"", false)]
    [DataRow("W/\"3\"", "\"3\"", false)]
    public void IfMatchHolds_StrongComparison(string? header, string etag, bool expected)
    {
        Assert.AreEqual(expected, new Preconditions(header, null).IfMatchHolds(etag));
    }

    [TestMethod]
    [DataRow("\"3\"", true)]
    [DataRow("W/\"3\"", true)]
    [DataRow("*", true)]
    [DataRow("\"4\"", false)]
    public void IfNoneMatchMatches_WeakComparison(string header, bool expected)
    {
        Assert.AreEqual(expected, new Preconditions(null, header).IfNoneMatchMatches("\"3\""));
    }

    [TestMethod]
    [DataRow("3")]
    [DataRow("\"3")]
    [DataRow("\"a\"b\"")]
    [DataRow(",")]
    public void EnsureWellFormed_Malformed_ThrowsValidation(string header)
    {
        Assert.ThrowsExactly<ValidationException>(() => new Preconditions(header, null).EnsureWellFormed());
    }
}
