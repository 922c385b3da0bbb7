using System.Net;
using ComponentCatalog.Functions;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Functions;

[TestClass]
public sealed class DiffTests
{
    [TestMethod]
    public void Compare_ChangedSectionsOnly_WithUnifiedHunks()
    {
        var before = Documents.Full();
        var after = before with
        {
            Description = "Takes card payments, refunds and chargebacks for the web shop.",
            Caching = null,
            Logging = new ContentSection { Text = "Structured logs with the order id." },
        };

        var changes = SectionDiff.Compare(before, after);

        CollectionAssert.AreEquivalent(new[] { "Description", "Caching", "Logging" }, changes.Select(c => c.Section).ToArray());
        var description = changes.Single(c => c.Section == "Description");
        Assert.AreEqual("modified", description.Change);
        StringAssert.StartsWith(description.Diff, "--- a/Description\n+++ b/Description\n@@ ");
        StringAssert.Contains(description.Diff, "\n-Takes card payments and refunds for the web shop.\n");
        StringAssert.Contains(description.Diff, "\n+Takes card payments, refunds and chargebacks for the web shop.\n");
        Assert.IsTrue(changes.Single(c => c.Section == "Logging").Diff.Contains("+Structured logs with the order id.", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Compare_SameDocument_NoChanges()
    {
        Assert.IsEmpty(SectionDiff.Compare(Documents.Full(), Documents.Full()));
    }

    [TestMethod]
    public async Task DiffFunction_DefaultsToLastTwoRevisions_AndRejectsReversedRange()
    {
        var sut = TestStorage.CreateCatalog();
        await sut.Catalog.CreateAsync(Documents.Full(), Users.Payments);
        await sut.Catalog.PutAsync("payments-api", Documents.Full() with { Owner = "payments", Tags = new[] { "billing" }.ToEquatableList() }, new("*", null), Users.Payments);
        var functions = new ComponentsFunctions(sut.Catalog, sut.Options, new MarkdownTemplate());
        var context = FakeContext.As(Users.Reader);
        var req = new FakeRequest(context, "GET", "/api/components/payments-api/diff");
        var reversed = new FakeRequest(context, "GET", "/api/components/payments-api/diff?from=2&to=1");

        var reply = await Reply.From(() => functions.Diff(req, "payments-api", context, CancellationToken.None), req);
        var bad = await Reply.From(() => functions.Diff(reversed, "payments-api", context, CancellationToken.None), reversed);

        Assert.AreEqual(HttpStatusCode.OK, reply.Status, reply.Body);
        Assert.AreEqual(1, reply.Json["from"]!.GetValue<int>());
        Assert.AreEqual(2, reply.Json["to"]!.GetValue<int>());
        var section = reply.Json["sections"]!.AsArray().Single()!;
        Assert.AreEqual("(front matter)", section["section"]!.GetValue<string>());
        StringAssert.Contains(section["diff"]!.GetValue<string>(), "-tags: [billing, core]");
        Assert.AreEqual(HttpStatusCode.BadRequest, bad.Status);
    }
}
