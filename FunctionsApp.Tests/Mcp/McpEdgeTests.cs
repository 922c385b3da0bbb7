using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using ComponentCatalog.Mcp;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ComponentCatalog.Tests.Mcp;

/// <summary>The pure decisions of the MCP edge: the 401 challenge, the header checks, the result cap, tool errors.</summary>
[TestClass]
public sealed class McpEdgeTests
{
    private static readonly Uri Url = new("https://catalog.example.test/api/mcp");

    [TestMethod]
    [DataRow("Bearer", "Bearer resource_metadata=\"https://catalog.example.test/.well-known/oauth-protected-resource/api/mcp\"")]
    [DataRow("Bearer error=\"invalid_token\"", "Bearer error=\"invalid_token\", resource_metadata=\"https://catalog.example.test/.well-known/oauth-protected-resource/api/mcp\"")]
    public void WithResourceMetadata_McpFunction401_AddsTheMetadataUrl(string challenge, string expected)
    {
        var problem = new Problem(HttpStatusCode.Unauthorized, "Unauthorized", "x", Headers: new Dictionary<string, string> { ["WWW-Authenticate"] = challenge });

        var result = ProtectedResource.WithResourceMetadata(problem, "Mcp", Url);

        Assert.AreEqual(expected, result.Headers!["WWW-Authenticate"]);
    }

    [TestMethod]
    public void WithResourceMetadata_OtherFunctionOrStatus_LeavesTheProblemAlone()
    {
        var unauthorized = ProblemMapper.Map(new UnauthorizedException("no"));
        var forbidden = ProblemMapper.Map(new ForbiddenException("no"));

        Assert.AreSame(unauthorized, ProtectedResource.WithResourceMetadata(unauthorized, "GetComponent", Url));
        Assert.AreSame(forbidden, ProtectedResource.WithResourceMetadata(forbidden, "Mcp", Url));
    }

    [TestMethod]
    public void Metadata_NamesResourceIssuerAndDefaultScope()
    {
        var resource = new ProtectedResource(new AuthOptions { Issuer = "https://login.microsoftonline.com/t/v2.0", Audience = "api://catalog/" }, new McpOptions());

        var metadata = resource.Metadata(new Uri("https://catalog.example.test/.well-known/oauth-protected-resource/api/mcp"));

        Assert.AreEqual("https://catalog.example.test/api/mcp", metadata.Resource?.ToString());
        Assert.AreEqual("https://login.microsoftonline.com/t/v2.0", metadata.AuthorizationServers.Single().ToString());
        CollectionAssert.AreEqual(new[] { "api://catalog/.default" }, metadata.ScopesSupported!.ToArray());
    }

    [TestMethod]
    public void Metadata_ConfiguredScopes_AreAdvertised()
    {
        var resource = new ProtectedResource(new AuthOptions { Issuer = "https://i", Audience = "a" }, new McpOptions { Scopes = ["api://catalog/Catalog.Access"] });

        CollectionAssert.AreEqual(new[] { "api://catalog/Catalog.Access" }, resource.Metadata(Url).ScopesSupported!.ToArray());
    }

    private static McpHttpRequest Request(string? version, string? method = null) =>
        new("application/json, text/event-stream", "application/json", version, null, method, "{}");

    private static JsonRpcRequest ToolsList(string? metaVersion) => new()
    {
        Method = "tools/list",
        Id = new RequestId(1),
        Params = metaVersion is null ? null : new System.Text.Json.Nodes.JsonObject
        {
            ["_meta"] = new System.Text.Json.Nodes.JsonObject { ["io.modelcontextprotocol/protocolVersion"] = metaVersion },
        },
    };

    [TestMethod]
    public void HeaderProblem_HandshakeRevisionOrNone_IsFine()
    {
        Assert.IsNull(McpEndpoint.HeaderProblem(Request(null), ToolsList(null)));
        Assert.IsNull(McpEndpoint.HeaderProblem(Request("2025-11-25"), ToolsList(null)));
        Assert.IsNull(McpEndpoint.HeaderProblem(Request("2026-07-28", "tools/list"), ToolsList("2026-07-28")));
    }

    [TestMethod]
    [DataRow("1999-01-01", "tools/list", "2026-07-28", McpErrorCode.UnsupportedProtocolVersion)]
    [DataRow("2026-07-28", null, "2026-07-28", McpErrorCode.HeaderMismatch)]
    [DataRow("2026-07-28", "tools/call", "2026-07-28", McpErrorCode.HeaderMismatch)]
    [DataRow("2026-07-28", "tools/list", null, McpErrorCode.InvalidParams)]
    [DataRow("2026-07-28", "tools/list", "2025-11-25", McpErrorCode.HeaderMismatch)]
    public void HeaderProblem_BrokenRule_IsTheRightJsonRpcError(string version, string? method, string? metaVersion, McpErrorCode expected)
    {
        var problem = McpEndpoint.HeaderProblem(Request(version, method), ToolsList(metaVersion));

        Assert.IsNotNull(problem);
        Assert.AreEqual(expected, problem.Value.Code);
    }

    [TestMethod]
    public void Text_OverTheCap_IsCutWithANoteAndNoHalfSurrogate()
    {
        var text = new string('a', 9) + "😀" + new string('b', 10);

        var result = ToolResults.Text(text, 10, "Ask for less.");

        Assert.AreEqual(new string('a', 9), ((TextContentBlock)result.Content[0]).Text);
        Assert.AreEqual($"[truncated: showing 9 of {text.Length} characters. Ask for less.]", ((TextContentBlock)result.Content[1]).Text);
        Assert.IsFalse(result.IsError ?? false);
    }

    [TestMethod]
    public void ToolError_CatalogAndArgumentErrors_AreShownOthersAreNot()
    {
        Assert.AreEqual("limit: too big", CatalogMcpServer.ToolError(new ValidationException("limit", "too big")));
        Assert.AreEqual("No component named 'x'.", CatalogMcpServer.ToolError(new AggregateException(new NotFoundException("No component named 'x'."))));
        StringAssert.StartsWith(CatalogMcpServer.ToolError(new ArgumentException("missing 'name'")), "Invalid arguments: missing 'name'");
        Assert.IsNull(CatalogMcpServer.ToolError(new InvalidOperationException("storage exploded at Microsoft.Azure.X")));
        Assert.IsNull(CatalogMcpServer.ToolError(new StorageUnavailableException(new IOException())));
    }
}
