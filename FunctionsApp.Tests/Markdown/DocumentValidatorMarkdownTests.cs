using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.Markdown;

[TestClass]
public sealed class DocumentValidatorMarkdownTests
{
    [TestMethod]
    [DataRow("Notes")]
    [DataRow("component name")]
    [DataRow("3. Data Models")]
    public void Validate_ExtraSectionNamedLikeATemplateSection_IsRejected(string heading)
    {
        var document = new ComponentDocument { Title = "X", ExtraSections = new[] { new ExtraSection(heading, "body") }.ToEquatableList() };

        var errors = ComponentCatalog.Catalog.DocumentValidator.Validate(document);

        Assert.Contains("template's", errors["extraSections[0].heading"].Single());
    }

    [TestMethod]
    public void Validate_ExtraSectionWithMultiLineHeading_IsRejected()
    {
        var document = new ComponentDocument { Title = "X", ExtraSections = new[] { new ExtraSection("a\nb", "body") }.ToEquatableList() };

        var errors = ComponentCatalog.Catalog.DocumentValidator.Validate(document);

        Assert.IsTrue(errors.ContainsKey("extraSections[0].heading"));
    }

    [TestMethod]
    public void Validate_ExtraSectionWithOwnHeading_IsAccepted()
    {
        var document = new ComponentDocument { Title = "X", ExtraSections = new[] { new ExtraSection("Runbook", "body") }.ToEquatableList() };

        var errors = ComponentCatalog.Catalog.DocumentValidator.Validate(document);

        Assert.IsEmpty(errors);
    }
}
