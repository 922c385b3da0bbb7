using System.Net;
using System.Reflection;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Functions;
using ComponentCatalog.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace ComponentCatalog.Tests.Auth;

/// <summary>The function → role table against the contract's role column, and the 401/403 decisions.</summary>
[TestClass]
public sealed class AccessPolicyTests
{
    private static readonly CatalogUser Nobody = new("nobody", CatalogRole.None, new HashSet<string>());

    private static IEnumerable<(string Name, HttpTriggerAttribute Trigger)> HttpFunctions() =>
        from type in typeof(ComponentsFunctions).Assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        from parameter in method.GetParameters()
        let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
        where trigger is not null
        select (function.Name, trigger);

    private static CatalogUser As(CatalogRole role) => role switch
    {
        CatalogRole.None => Nobody,
        _ => new($"{role}@test", role, new HashSet<string> { "payments" }),
    };

    private static HttpStatusCode Status(GateOutcome decision) =>
        decision.Failure is null ? HttpStatusCode.OK : ProblemMapper.Map(decision.Failure).Status;

    [TestMethod]
    public void RequiredRoles_EveryHttpFunctionOfTheApp_HasAnEntry()
    {
        var functions = HttpFunctions().Select(f => f.Name).ToList();

        Assert.IsNotEmpty(functions);
        var missing = functions.Where(f => !AccessPolicy.RequiredRoles.ContainsKey(f)).ToList();
        Assert.IsEmpty(missing, "Add these functions to AccessPolicy.RequiredRoles: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void HttpFunctions_NoRouteStartsWithAHostReservedSegment()
    {
        foreach (var (name, trigger) in HttpFunctions())
        {
            var route = (trigger.Route ?? name).Trim('/').ToLowerInvariant();
            Assert.IsFalse(route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal),
                $"{name}: the Functions host refuses routes starting with admin or runtime ('{route}').");
        }
    }

    [TestMethod]
    [DataRow("Health")]
    [DataRow("GetTemplate")]
    [DataRow("GetOpenApi")]
    public void Decide_AnonymousFunctionWithoutCredentials_Allows(string function)
    {
        Assert.AreEqual(HttpStatusCode.OK, Status(GateOutcome.Decide(function, AuthResult.Anonymous)));
    }

    [TestMethod]
    [DataRow("GetComponent")]
    [DataRow("CreateComponent")]
    [DataRow("ListApiKeys")]
    public void Decide_NoCredentials_Returns401WithBearerChallenge(string function)
    {
        var decision = GateOutcome.Decide(function, AuthResult.Anonymous);

        var problem = ProblemMapper.Map(decision.Failure!);
        Assert.AreEqual(HttpStatusCode.Unauthorized, problem.Status);
        Assert.AreEqual("Bearer", problem.Headers!["WWW-Authenticate"]);
    }

    [TestMethod]
    [DataRow("CreateApiKey")]
    [DataRow("ListApiKeys")]
    [DataRow("RevokeApiKey")]
    public void Decide_AdminApiKeyOnKeyManagement_Returns403ButATokenAdminIsAllowed(string function)
    {
        var key = new CatalogUser("apikey:0123", CatalogRole.Admin, new HashSet<string>()) { ViaApiKey = true };

        Assert.AreEqual(HttpStatusCode.Forbidden, Status(GateOutcome.Decide(function, AuthResult.For(key))));
        Assert.AreEqual(HttpStatusCode.OK, Status(GateOutcome.Decide(function, AuthResult.For(As(CatalogRole.Admin)))));
        Assert.AreEqual(HttpStatusCode.OK, Status(GateOutcome.Decide("DeleteComponent", AuthResult.For(key))));
    }

    [TestMethod]
    public void Decide_RejectedCredentials_Returns401InvalidToken()
    {
        var decision = GateOutcome.Decide("GetComponent", AuthResult.Rejected);

        var problem = ProblemMapper.Map(decision.Failure!);
        Assert.AreEqual(HttpStatusCode.Unauthorized, problem.Status);
        Assert.AreEqual("Bearer error=\"invalid_token\"", problem.Headers!["WWW-Authenticate"]);
    }

    [TestMethod]
    [DataRow("GetComponent", CatalogRole.None, HttpStatusCode.Forbidden)]
    [DataRow("GetComponent", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("ListRevisions", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("GetRevision", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("CreateComponent", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("CreateComponent", CatalogRole.Writer, HttpStatusCode.OK)]
    [DataRow("PutComponent", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("PatchComponent", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("DeleteComponent", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("DeleteComponent", CatalogRole.Admin, HttpStatusCode.OK)]
    [DataRow("RestoreComponent", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("ListComponents", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("GetCatalogGraph", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("GetStaleReport", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("ValidateDocument", CatalogRole.Reader, HttpStatusCode.OK)]
    [DataRow("ValidateDocument", CatalogRole.None, HttpStatusCode.Forbidden)]
    [DataRow("ImportDocuments", CatalogRole.Reader, HttpStatusCode.Forbidden)]
    [DataRow("ImportDocuments", CatalogRole.Writer, HttpStatusCode.OK)]
    [DataRow("CreateApiKey", CatalogRole.Writer, HttpStatusCode.Forbidden)]
    [DataRow("CreateApiKey", CatalogRole.Admin, HttpStatusCode.OK)]
    [DataRow("ListApiKeys", CatalogRole.Writer, HttpStatusCode.Forbidden)]
    [DataRow("RevokeApiKey", CatalogRole.Writer, HttpStatusCode.Forbidden)]
    [DataRow("RevokeApiKey", CatalogRole.Admin, HttpStatusCode.OK)]
    public void Decide_RoleAgainstContract_ReturnsExpectedStatus(string function, object role, HttpStatusCode expected)
    {
        var decision = GateOutcome.Decide(function, AuthResult.For(As((CatalogRole)role)));

        Assert.AreEqual(expected, Status(decision));
        Assert.AreEqual(expected == HttpStatusCode.OK ? As((CatalogRole)role).Id : null, decision.User?.Id);
    }

    [TestMethod]
    public void Decide_EveryEntryAndRole_AllowsExactlyTheRoleAndAbove()
    {
        foreach (var (function, required) in AccessPolicy.RequiredRoles.Where(e => e.Value != CatalogRole.None))
        {
            foreach (var role in Enum.GetValues<CatalogRole>())
            {
                var expected = role >= required ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                Assert.AreEqual(expected, Status(GateOutcome.Decide(function, AuthResult.For(As(role)))), $"{function} as {role}");
            }
        }
    }

    [TestMethod]
    public void Decide_UnknownFunction_FailsClosedToAdmin()
    {
        Assert.AreEqual(HttpStatusCode.Forbidden, Status(GateOutcome.Decide("SomethingNew", AuthResult.For(As(CatalogRole.Writer)))));
        Assert.AreEqual(HttpStatusCode.OK, Status(GateOutcome.Decide("SomethingNew", AuthResult.For(As(CatalogRole.Admin)))));
    }

    [TestMethod]
    public void Decide_Forbidden_DetailNamesRolesOnly()
    {
        var decision = GateOutcome.Decide("CreateComponent", AuthResult.For(As(CatalogRole.Reader)));

        Assert.AreEqual("This operation needs the role Catalog.Writer; the caller has Catalog.Reader.", decision.Failure!.Message);
    }
}
