using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using ModelContextProtocol.Authentication;

namespace ComponentCatalog.Mcp;

/// <summary>
/// The MCP endpoint as an OAuth protected resource (RFC 9728, as the MCP authorization spec uses it): the metadata
/// document that names the authorization server (<c>Auth__Issuer</c>: Entra ID in Azure) and the scopes to ask for,
/// and the <c>resource_metadata</c> parameter that 401s of the MCP functions add to <c>WWW-Authenticate</c>.
/// </summary>
internal sealed class ProtectedResource(AuthOptions auth, McpOptions options)
{
    /// <summary>The endpoint's route (host.json's route prefix is empty: routes are paths).</summary>
    public const string EndpointRoute = "api/mcp";

    /// <summary>RFC 9728 §3.1: the well-known name inserted before the resource's path, where MCP clients look first.</summary>
    public const string MetadataRoute = ".well-known/oauth-protected-resource/" + EndpointRoute;

    /// <summary>The functions whose 401s point clients at the metadata.</summary>
    public static IReadOnlySet<string> Functions { get; } = new HashSet<string>(StringComparer.Ordinal) { "Mcp", "McpGetStream" };

    public ProtectedResourceMetadata Metadata(Uri requestUrl) => new()
    {
        Resource = $"{Origin(requestUrl)}/{EndpointRoute}",
        AuthorizationServers = [auth.Issuer],
        BearerMethodsSupported = ["header"],
        ScopesSupported = options.Scopes is { Length: > 0 } scopes ? [.. scopes] : [auth.Audience.TrimEnd('/') + "/.default"],
        ResourceName = "Component Catalog (MCP)",
    };

    /// <summary>A 401 of an MCP function with <c>resource_metadata</c> added to its challenge; any other problem unchanged.</summary>
    public static Problem WithResourceMetadata(Problem problem, string functionName, Uri requestUrl)
    {
        if (!Functions.Contains(functionName) || problem.Headers?.GetValueOrDefault("WWW-Authenticate") is not { } challenge)
        {
            return problem;
        }
        var separator = challenge.Contains(' ', StringComparison.Ordinal) ? ", " : " ";
        var headers = new Dictionary<string, string>(problem.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["WWW-Authenticate"] = $"{challenge}{separator}resource_metadata=\"{Origin(requestUrl)}/{MetadataRoute}\"",
        };
        return problem with { Headers = headers };
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
