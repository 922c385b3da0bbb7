using ComponentCatalog.Catalog;
using ComponentCatalog.Http;
using ComponentCatalog.Model;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Catalog;

[TestClass]
public sealed class NamesAndValidationTests
{
    [TestMethod]
    [DataRow("User Auth Service", "user-auth-service")]
    [DataRow("  Payments -- API v2 ", "payments-api-v2")]
    [DataRow("Café Crème", "cafe-creme")]
    [DataRow("日本語", "")]
    public void Slug_Title_MakesName(string title, string expected)
    {
        Assert.AreEqual(expected, Names.Slug(title));
    }

    [TestMethod]
    public void Slug_LongTitle_IsAValidName()
    {
        var slug = Names.Slug(new string('a', 62) + " b c");

        Assert.IsTrue(Names.IsValid(slug), slug);
    }

    [TestMethod]
    public void Validate_CleanDocument_HasNoErrors()
    {
        Assert.IsEmpty(DocumentValidator.Validate(Documents.Full()));
    }

    [TestMethod]
    public void Validate_BrokenDocument_ListsEachField()
    {
        var document = Documents.Full() with
        {
            Title = "Two\nlines",
            Owner = "Payments Team",
            Tags = new[] { "ok", "Not OK", "ok" }.ToEquatableList(),
            ApiEndpoints = new ApiEndpointsSection { Endpoints = new[] { new ApiEndpoint { Method = "FETCH", Route = "" } }.ToEquatableList() },
            Dependencies = new DependenciesSection { ExternalLibraries = new[] { new NamedItem(" ", "x") }.ToEquatableList() },
            Revision = 4,
        };

        var errors = DocumentValidator.Validate(document);

        CollectionAssert.IsSubsetOf(
            new[] { "title", "owner", "tags[1]", "tags", "apiEndpoints.endpoints[0].method", "apiEndpoints.endpoints[0].route", "dependencies.externalLibraries[0].name", "revision" },
            errors.Keys.ToArray());
    }

    [TestMethod]
    public void Json_Write_CamelCaseEnumsAsStringsNullsOmitted()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Documents.Minimal() with { Lifecycle = Lifecycle.Deprecated }, CatalogJson.Options);

        StringAssert.Contains(json, "\"lifecycle\":\"deprecated\"");
        Assert.DoesNotContain("null", json);
    }

    [TestMethod]
    public void Json_RoundTrip_FullDocumentEqual()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Documents.Full(), CatalogJson.Options);

        Assert.AreEqual(Documents.Full(), RequestBody.DeserializeStrict<ComponentDocument>(json));
    }

    [TestMethod]
    [DataRow(null, 32)]
    [DataRow("abc-123_x.y", 11)]
    public void CorrelationId_FromHeader_EchoesSafeOrGenerates(string? header, int length)
    {
        var id = Http.CorrelationId.FromHeader(header is null ? null : [header]);

        Assert.HasCount(length, id);
    }

    [TestMethod]
    [DataRow("has space")]
    [DataRow("new\nline")]
    public void CorrelationId_UnsafeHeader_IsReplaced(string header)
    {
        Assert.AreNotEqual(header, Http.CorrelationId.FromHeader([header]));
    }
}
