using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Functions;
using System.Text.RegularExpressions;
using DevHost;

using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.OpenApi;

/// <summary>
/// The OpenAPI document against the app's real functions: every HTTP function is documented (and not marked
/// planned), every operation not marked <c>x-catalog-status: planned</c> exists as a function, and the document
/// holds together (refs resolve, path parameters declared, errors are problem+json).
/// </summary>
[TestClass]
public sealed partial class OpenApiDocumentTests
{
    private const string Fix = "Edit FunctionsApp/OpenApi/openapi.json";

    private static readonly JsonObject Document = OpenApiSpec.Document;
    private static readonly IReadOnlyList<SpecOperation> Operations = OpenApiSpec.Operations(Document);

    [TestMethod]
    public void Functions_Reflected_IncludeKnownRoutes()
    {
        var keys = FunctionRoutes.Api.Select(f => f.Key).ToList();

        Assert.Contains("GET /api/health", keys);
        Assert.Contains("GET /api/openapi.json", keys);
        Assert.Contains("GET /api/components/{name}/revisions/{revision}", keys);
        Assert.Contains("GET /api/admin/api-keys", keys);
    }

    [TestMethod]
    [DataRow("components/{name}/revisions/{revision:int}", "/components/{name}/revisions/{revision}")]
    [DataRow("api/{scope:regex(^admin$)}/api-keys/{id}", "/api/admin/api-keys/{id}")]
    [DataRow("files/{*path}", "/files/{path}")]
    [DataRow("items/{id:minlength(2):maxlength(9)?}", "/items/{id}")]
    [DataRow("items/{id:regex(^[a-z]{{2}}$)}", "/items/{id}")]
    [DataRow("/health/", "/health")]
    public void Normalize_RouteTemplate_ReturnsOpenApiPath(string template, string expected)
    {
        Assert.AreEqual(expected, FunctionRoutes.Normalize(template));
    }

    [TestMethod]
    public void Document_EveryHttpFunction_IsDocumentedAndNotPlanned()
    {
        var documented = Operations.ToDictionary(o => o.UrlKey, StringComparer.OrdinalIgnoreCase);

        var missing = FunctionRoutes.Api.Where(f => !documented.ContainsKey(f.Key)).Select(f => $"{f.Name}: {f.Key}").ToList();
        var planned = FunctionRoutes.Api.Where(f => documented.TryGetValue(f.Key, out var o) && o.Planned).Select(f => $"{f.Name}: {f.Key}").ToList();

        Assert.IsEmpty(missing, $"{Fix}: document these functions: {string.Join("; ", missing)}");
        Assert.IsEmpty(planned, $"{Fix}: these are implemented now, drop their \"x-catalog-status\": \"planned\": {string.Join("; ", planned)}");
    }

    [TestMethod]
    public void Document_EveryImplementedOperation_ExistsAsFunction()
    {
        var functions = FunctionRoutes.Api.Select(f => f.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var phantom = Operations.Where(o => !o.Planned && !functions.Contains(o.UrlKey)).Select(o => o.UrlKey).ToList();

        Assert.IsEmpty(phantom, $"{Fix}: no function serves these; mark them \"x-catalog-status\": \"planned\" or remove them: {string.Join("; ", phantom)}");
    }

    [TestMethod]
    public void Document_ImplementedOperations_HaveTheFunctionNameAsOperationId()
    {
        var byKey = FunctionRoutes.Api.ToDictionary(f => f.Key, StringComparer.OrdinalIgnoreCase);

        var wrong = Operations.Where(o => byKey.TryGetValue(o.UrlKey, out var f) && f.Name != o.OperationId)
            .Select(o => $"{o.UrlKey}: {o.OperationId} (function {byKey[o.UrlKey].Name})").ToList();

        Assert.IsEmpty(wrong, string.Join("; ", wrong));
    }

    [TestMethod]
    public void Document_OperationIds_AreUniqueAndEveryOperationHasSummaryRoleAndResponses()
    {
        var ids = Operations.Select(o => o.OperationId).ToList();

        Assert.HasCount(ids.Distinct().Count(), ids);
        foreach (var operation in Operations)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(operation.OperationId), operation.Key);
            Assert.IsFalse(string.IsNullOrWhiteSpace((string?)operation.Operation["summary"]), operation.Key);
            Assert.Contains((string?)operation.Operation["x-catalog-role"], new[] { "anonymous", "reader", "writer", "admin" }, operation.Key);
            Assert.IsTrue(operation.Operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2') || r.Key is "304" or "405"), operation.Key);
        }
    }

    [TestMethod]
    public void Document_RolesOfOperations_MatchTheAccessPolicy()
    {
        // The security work adds ComponentCatalog.Auth.AccessPolicy (function name → least role); read it by
        // reflection so this test compiles before and after it lands.
        var policy = typeof(HealthFunctions).Assembly.GetType("ComponentCatalog.Auth.AccessPolicy")
            ?.GetProperty("RequiredRoles", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as System.Collections.IDictionary;
        if (policy is null)
        {
            Assert.Inconclusive("No AccessPolicy.RequiredRoles in FunctionsApp yet.");
        }

        var mismatches = Operations
            .Where(o => o.OperationId is not null && policy.Contains(o.OperationId))
            .Select(o => (o.Key, Documented: (string?)o.Operation["x-catalog-role"], Policy: policy[o.OperationId!]!.ToString()!.ToLowerInvariant()))
            .Select(o => o with { Policy = o.Policy == "none" ? "anonymous" : o.Policy })
            .Where(o => o.Documented != o.Policy)
            .Select(o => $"{o.Key}: x-catalog-role {o.Documented}, AccessPolicy {o.Policy}")
            .ToList();

        Assert.IsEmpty(mismatches, $"{Fix}: {string.Join("; ", mismatches)}");
    }

    [TestMethod]
    public void Document_ServerUrl_IsTheApiPrefixEveryApiRouteCarries()
    {
        // host.json's routePrefix is empty (the site root serves pages), so a function's route is its URL path and
        // every API function's route starts with api/ itself; the document's server URL is that shared prefix.
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var prefix = host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();

        Assert.AreEqual("3.0.3", (string?)Document["openapi"]);
        Assert.AreEqual(string.Empty, prefix);
        Assert.AreEqual("/api", (string?)Document["servers"]![0]!["url"]);
        Assert.IsGreaterThanOrEqualTo(20, FunctionRoutes.Api.Count);
    }

    [TestMethod]
    public void Document_ContractRoutes_AreAllDocumented()
    {
        var contract = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "api-contract.md"));
        var keys = Operations.Select(o => o.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var routes = ContractRow().Matches(contract)
            .SelectMany(m => ContractPaths(m.Groups["path"].Value).Select(path => $"{m.Groups["method"].Value} {path}")).ToList();
        var undocumented = routes.Where(r => !keys.Contains(r)).ToList();

        Assert.IsGreaterThanOrEqualTo(20, routes.Count);
        Assert.IsEmpty(undocumented, $"{Fix}: the contract has these routes: {string.Join("; ", undocumented)}");
    }

    [TestMethod]
    public void Document_EveryReference_Resolves()
    {
        var references = JsonNodes.Descendants(Document).OfType<JsonObject>()
            .Where(o => o["$ref"] is JsonValue).Select(o => (string)o["$ref"]!).Distinct().ToList();

        var broken = references.Where(r => OpenApiSpec.Resolve(Document, r) is null).ToList();

        Assert.IsGreaterThan(30, references.Count);
        Assert.IsEmpty(broken, string.Join("; ", broken));
    }

    [TestMethod]
    public void Document_EveryPathTemplateVariable_IsDeclaredAsRequiredPathParameter()
    {
        foreach (var operation in Operations)
        {
            var declared = (operation.PathItem["parameters"]?.AsArray() ?? []).Concat(operation.Operation["parameters"]?.AsArray() ?? [])
                .Select(p => OpenApiSpec.Deref(Document, p!))
                .Where(p => (string?)p["in"] == "path")
                .ToDictionary(p => (string)p["name"]!, p => (bool?)p["required"] == true);

            var variables = TemplateVariable().Matches(operation.Path).Select(m => m.Groups[1].Value).ToList();

            CollectionAssert.AreEquivalent(variables, declared.Keys.ToList(), operation.Key);
            Assert.IsTrue(declared.Values.All(required => required), operation.Key);
        }
    }

    [TestMethod]
    public void Document_ErrorResponses_AreProblemJson()
    {
        foreach (var operation in Operations)
        {
            foreach (var (status, response) in operation.Operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                if (operation.Path == "/health" && status == "503")
                {
                    continue;
                }
                var content = OpenApiSpec.Deref(Document, response!)["content"]?.AsObject() ?? [];
                if (operation.Path == "/mcp" && (content.ContainsKey("application/json") || content.ContainsKey("text/event-stream") || status == "405"))
                {
                    continue; // MCP protocol errors are JSON-RPC errors (the MCP transport); HTTP-level ones problem+json
                }

                Assert.IsTrue(content.ContainsKey("application/problem+json"), $"{operation.Key} {status}");
            }
        }
    }

    [TestMethod]
    public void Document_SecuritySchemes_AreBearerJwtAndApiKeyHeader()
    {
        var schemes = Document["components"]!["securitySchemes"]!;

        Assert.AreEqual("http", (string?)schemes["bearerAuth"]!["type"]);
        Assert.AreEqual("bearer", (string?)schemes["bearerAuth"]!["scheme"]);
        Assert.AreEqual("JWT", (string?)schemes["bearerAuth"]!["bearerFormat"]);
        Assert.AreEqual("apiKey", (string?)schemes["apiKey"]!["type"]);
        Assert.AreEqual("header", (string?)schemes["apiKey"]!["in"]);
        Assert.AreEqual("X-Api-Key", (string?)schemes["apiKey"]!["name"]);
        Assert.AreEqual(2, Document["security"]!.AsArray().Count);
    }

    [TestMethod]
    public void Document_AnonymousOperations_OptOutOfSecurityAndOthersInheritIt()
    {
        foreach (var operation in Operations)
        {
            var anonymous = (string?)operation.Operation["x-catalog-role"] == "anonymous";

            Assert.AreEqual(anonymous, operation.Operation["security"] is JsonArray { Count: 0 }, operation.Key);
            Assert.AreEqual(!anonymous, operation.Operation["responses"]!.AsObject().ContainsKey("401"), operation.Key);
        }
        CollectionAssert.AreEquivalent(
            new[] { "GET /ping", "GET /health", "GET /template", "GET /openapi.json" },
            Operations.Where(o => (string?)o.Operation["x-catalog-role"] == "anonymous").Select(o => o.Key).ToList());
    }

    /// <summary>A contract route as OpenAPI paths: <c>/reports/{stale\|dangling}</c> is two routes, one per alternative.</summary>
    private static IEnumerable<string> ContractPaths(string path)
    {
        IEnumerable<string> prefixes = [string.Empty];
        foreach (var segment in path.Trim('/').Split('/'))
        {
            string[] options = segment.StartsWith('{') && segment.Contains('|', StringComparison.Ordinal)
                ? segment.Trim('{', '}').Split('|').Select(o => o.TrimEnd('\\')).ToArray()
                : [segment];
            prefixes = [.. prefixes.SelectMany(prefix => options.Select(option => prefix + "/" + option))];
        }
        return prefixes;
    }

    [GeneratedRegex(@"^\| `(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`?\s]*)", RegexOptions.Multiline)]
    private static partial Regex ContractRow();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex TemplateVariable();
}
