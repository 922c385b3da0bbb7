using DevHost.Functions;
using DevHost.Http;
using Microsoft.AspNetCore.Http;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class RouteTableTests
{
    private static readonly Microsoft.AspNetCore.Routing.IInlineConstraintResolver Resolver = RouteTable.CreateConstraintResolver();

    private static RouteTable Build(string prefix, params FunctionDescriptor[] functions) => RouteTable.Build(functions, prefix, Resolver);

    private static RouteMatch? Match(RouteTable table, string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return table.Match(context);
    }

    [TestMethod]
    public void Match_PrefixAndRoute_MatchesCaseInsensitiveWithValues()
    {
        var table = Build("api", FunctionsFactory.Http("GetItem", "items/{id}"));

        var match = Match(table, "GET", "/API/Items/42");

        Assert.AreEqual("GetItem", match?.Function.Name);
        Assert.AreEqual("42", match?.Values["id"]);
    }

    [TestMethod]
    public void Match_WrongMethod_NoMatch()
    {
        var table = Build("api", FunctionsFactory.Http("GetItem", "items/{id}"));

        Assert.IsNull(Match(table, "DELETE", "/api/items/42"));
        Assert.IsNotNull(Match(table, "get", "/api/items/42"));
    }

    [TestMethod]
    public void Match_NoMethods_AllowsEveryMethod()
    {
        var table = Build("api", FunctionsFactory.Http("Any", "any", methods: string.Empty));

        Assert.IsNotNull(Match(table, "PATCH", "/api/any"));
        Assert.IsNotNull(Match(table, "GET", "/api/any"));
    }

    [TestMethod]
    [DataRow("/api/hello/World", true)]
    [DataRow("/api/hello/W0rld", false)]
    public void Match_AlphaConstraint_AppliesToValue(string path, bool matches)
    {
        var table = Build("api", FunctionsFactory.Http("HelloAlpha", "hello/{name:alpha}"));

        Assert.AreEqual(matches, Match(table, "GET", path) is not null);
    }

    [TestMethod]
    public void Match_OptionalIntConstraint_AbsentIsLeftOutAndWrongTypeFails()
    {
        var table = Build("api", FunctionsFactory.Http("OptionalId", "opt/{id:int?}"));

        var absent = Match(table, "GET", "/api/opt");
        var present = Match(table, "GET", "/api/opt/7");
        var wrong = Match(table, "GET", "/api/opt/x");

        Assert.IsNotNull(absent);
        Assert.IsFalse(absent.Values.ContainsKey("id"));
        Assert.AreEqual("7", present?.Values["id"]);
        Assert.IsNull(wrong);
    }

    [TestMethod]
    public void Match_RegistrationOrder_FirstMatchWinsOverMoreSpecific()
    {
        var table = Build("api", FunctionsFactory.Http("Catch", "things/{name}"), FunctionsFactory.Http("Literal", "things/special"));

        Assert.AreEqual("Catch", Match(table, "GET", "/api/things/special")?.Function.Name);
    }

    [TestMethod]
    public void Match_IntConstraintAfterLiteral_RoutesRevisionsOnlyForNumbers()
    {
        var table = Build("api", FunctionsFactory.Http("ListRevisions", "components/{name}/revisions"), FunctionsFactory.Http("GetRevision", "components/{name}/revisions/{revision:int}"));

        Assert.AreEqual("GetRevision", Match(table, "GET", "/api/components/a/revisions/3")?.Function.Name);
        Assert.AreEqual("ListRevisions", Match(table, "GET", "/api/components/a/revisions")?.Function.Name);
        Assert.IsNull(Match(table, "GET", "/api/components/a/revisions/three"));
    }

    [TestMethod]
    public void Match_DefaultAndCatchAll_FillValues()
    {
        var table = Build(string.Empty, FunctionsFactory.Http("Files", "files/{kind=doc}/{*rest}"));

        var withDefault = Match(table, "GET", "/files");
        var withRest = Match(table, "GET", "/files/img/a/b.png");

        Assert.AreEqual("doc", withDefault?.Values["kind"]);
        Assert.AreEqual("a/b.png", withRest?.Values["rest"]);
        Assert.AreEqual("files/{kind=doc}/{*rest}", table.Routes.Single().Template);
    }

    [TestMethod]
    public void Match_UnknownPath_NoMatch()
    {
        var table = Build("api", FunctionsFactory.Http("Health", "health"));

        Assert.IsNull(Match(table, "GET", "/api/nope"));
        Assert.IsNull(Match(table, "GET", "/health"));
    }

    [TestMethod]
    [DataRow("admin/things")]
    [DataRow("runtime")]
    public void Build_ReservedRoute_RefusedWithError(string route)
    {
        var table = Build("", FunctionsFactory.Http("Bad", route));

        Assert.IsEmpty(table.Routes);
        Assert.HasCount(1, table.Errors);
    }

    [TestMethod]
    public void Match_EmptyPrefix_ApiPrefixedRoutesKeepTheirUrlsAndTheAdminLiteralTrickStillRoutes()
    {
        var table = Build(string.Empty,
            FunctionsFactory.Http("ListApiKeys", "api/{scope:regex(^admin$)}/api-keys"),
            FunctionsFactory.Http("GetComponent", "api/components/{name}"),
            FunctionsFactory.Http("Page", "components/{name}"));

        Assert.IsEmpty(table.Errors);
        Assert.AreEqual("ListApiKeys", Match(table, "GET", "/api/admin/api-keys")?.Function.Name);
        Assert.IsNull(Match(table, "GET", "/api/other/api-keys"));
        Assert.AreEqual("GetComponent", Match(table, "GET", "/api/components/a")?.Function.Name);
        Assert.AreEqual("Page", Match(table, "GET", "/components/a")?.Function.Name);
    }

    [TestMethod]
    public void Build_DuplicateRouteOverlappingMethods_SecondRefused()
    {
        var table = Build("api", FunctionsFactory.Http("A", "items", "\"get\""), FunctionsFactory.Http("B", "Items", "\"get\",\"post\""), FunctionsFactory.Http("C", "items", "\"put\""));

        CollectionAssert.AreEqual(new[] { "A", "C" }, table.Routes.Select(r => r.Function.Name).ToArray());
        Assert.HasCount(1, table.Errors);
        Assert.Contains("B", table.Errors[0]);
    }

    [TestMethod]
    public void Build_TimerFunction_NotRouted()
    {
        var table = Build("api", FunctionsFactory.Timer("Tick", "0 */5 * * * *"));

        Assert.IsEmpty(table.Routes);
        Assert.IsEmpty(table.Errors);
    }
}
