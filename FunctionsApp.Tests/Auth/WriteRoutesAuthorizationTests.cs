using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Auth;

/// <summary>
/// Reader / writer of the owning team / writer of another team / admin on every component write route: the gate's
/// role check (the function → role table) and the function itself (team ownership), over real Azurite.
/// </summary>
[TestClass]
public sealed class WriteRoutesAuthorizationTests
{
    private const string Body = """{"title":"Payments API","owner":"payments","description":"Takes card payments."}""";
    private CatalogUnderTest _sut = null!;
    private ComponentsFunctions _functions = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _functions = new ComponentsFunctions(_sut.Catalog, _sut.Options, new ComponentCatalog.Markdown.MarkdownTemplate());
    }

    private static CatalogUser User(string name) => name switch
    {
        "reader" => Users.Reader,
        "own-writer" => Users.Payments,
        "other-writer" => Users.Identity,
        "admin" => Users.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private async Task Arrange(string function)
    {
        if (function != "CreateComponent")
        {
            await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        }
        if (function == "RestoreComponent")
        {
            await _sut.Catalog.DeleteAsync("payments-api", Preconditions.None, Users.Payments);
        }
    }

    private Task<Reply> Invoke(string function, CatalogUser user)
    {
        var context = FakeContext.As(user);
        var ct = CancellationToken.None;
        switch (function)
        {
            case "CreateComponent":
            {
                var req = new FakeRequest(context, "POST", "/api/components", Body, "application/json");
                return Reply.From(() => _functions.Create(req, context, ct), req);
            }
            case "PutComponent":
            {
                var req = new FakeRequest(context, "PUT", "/api/components/payments-api", Body.Replace("Takes", "Now takes", StringComparison.Ordinal), "application/json")
                    .WithHeader("If-Match", "\"1\"");
                return Reply.From(() => _functions.Put(req, "payments-api", context, ct), req);
            }
            case "PatchComponent":
            {
                var req = new FakeRequest(context, "PATCH", "/api/components/payments-api", """{"description":"patched"}""", "application/merge-patch+json")
                    .WithHeader("If-Match", "\"1\"");
                return Reply.From(() => _functions.Patch(req, "payments-api", context, ct), req);
            }
            case "DeleteComponent":
            {
                var req = new FakeRequest(context, "DELETE", "/api/components/payments-api");
                return Reply.From(() => _functions.Delete(req, "payments-api", context, ct), req);
            }
            case "RestoreComponent":
            {
                var req = new FakeRequest(context, "POST", "/api/components/payments-api/restore");
                return Reply.From(() => _functions.Restore(req, "payments-api", context, ct), req);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(function));
        }
    }

    private async Task<(int? Revision, bool? Deleted)> StoredState()
    {
        var head = await _sut.Store.GetHeadAsync("payments-api");
        return (head?.Revision, head?.Deleted);
    }

    [TestMethod]
    [DataRow("CreateComponent", "reader", HttpStatusCode.Forbidden)]
    [DataRow("CreateComponent", "own-writer", HttpStatusCode.Created)]
    [DataRow("CreateComponent", "other-writer", HttpStatusCode.Forbidden)]
    [DataRow("CreateComponent", "admin", HttpStatusCode.Created)]
    [DataRow("PutComponent", "reader", HttpStatusCode.Forbidden)]
    [DataRow("PutComponent", "own-writer", HttpStatusCode.OK)]
    [DataRow("PutComponent", "other-writer", HttpStatusCode.Forbidden)]
    [DataRow("PutComponent", "admin", HttpStatusCode.OK)]
    [DataRow("PatchComponent", "reader", HttpStatusCode.Forbidden)]
    [DataRow("PatchComponent", "own-writer", HttpStatusCode.OK)]
    [DataRow("PatchComponent", "other-writer", HttpStatusCode.Forbidden)]
    [DataRow("PatchComponent", "admin", HttpStatusCode.OK)]
    [DataRow("DeleteComponent", "reader", HttpStatusCode.Forbidden)]
    [DataRow("DeleteComponent", "own-writer", HttpStatusCode.NoContent)]
    [DataRow("DeleteComponent", "other-writer", HttpStatusCode.Forbidden)]
    [DataRow("DeleteComponent", "admin", HttpStatusCode.NoContent)]
    [DataRow("RestoreComponent", "reader", HttpStatusCode.Forbidden)]
    [DataRow("RestoreComponent", "own-writer", HttpStatusCode.OK)]
    [DataRow("RestoreComponent", "other-writer", HttpStatusCode.Forbidden)]
    [DataRow("RestoreComponent", "admin", HttpStatusCode.OK)]
    public async Task WriteRoute_RoleAndTeam_ReturnsExpectedStatusAndStoresOnlyWhenAllowed(string function, string caller, HttpStatusCode expected)
    {
        await Arrange(function);
        var before = await StoredState();
        var user = User(caller);

        var gate = GateOutcome.Decide(function, AuthResult.For(user));
        var reply = await Invoke(function, user);

        Assert.AreEqual(caller == "reader" ? HttpStatusCode.Forbidden : HttpStatusCode.OK,
            gate.Failure is null ? HttpStatusCode.OK : ProblemMapper.Map(gate.Failure).Status);
        Assert.AreEqual(expected, reply.Status, reply.Body);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.AreEqual("application/problem+json; charset=utf-8", reply.Header("Content-Type"));
            Assert.AreEqual(403, reply.Json["status"]!.GetValue<int>());
            Assert.AreEqual(before, await StoredState());
        }
        else
        {
            Assert.AreNotEqual(before, await StoredState());
        }
    }

    [TestMethod]
    public async Task PutComponent_WriterMovesOwnDocumentToAnotherTeam_Returns403AndKeepsOwner()
    {
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        var context = FakeContext.As(Users.Payments);
        var req = new FakeRequest(context, "PUT", "/api/components/payments-api", Body.Replace("\"owner\":\"payments\"", "\"owner\":\"identity\"", StringComparison.Ordinal), "application/json")
            .WithHeader("If-Match", "\"1\"");

        var reply = await Reply.From(() => _functions.Put(req, "payments-api", context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.Forbidden, reply.Status);
        Assert.AreEqual("payments", (await _sut.Catalog.GetAsync("payments-api")).Document.Owner);
    }

    [TestMethod]
    public async Task WriteRoute_NoUserInContext_Returns401()
    {
        var context = FakeContext.As(null);
        var req = new FakeRequest(context, "POST", "/api/components", Body, "application/json");

        var reply = await Reply.From(() => _functions.Create(req, context, CancellationToken.None), req);

        Assert.AreEqual(HttpStatusCode.Unauthorized, reply.Status);
        Assert.AreEqual("Bearer", reply.Header("WWW-Authenticate"));
        Assert.IsNull(await _sut.Store.GetHeadAsync("payments-api"));
    }
}
