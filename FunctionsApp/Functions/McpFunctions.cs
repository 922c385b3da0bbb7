using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using ComponentCatalog.Mcp;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using ModelContextProtocol;

namespace ComponentCatalog.Functions;

/// <summary>
/// The remote MCP endpoint (streamable HTTP, stateless; ADR 0030) and its OAuth protected-resource metadata.
/// Auth, rate limits and body limits are the API's: the middleware decides the caller and role (AccessPolicy) before
/// these run, as before any function.
/// </summary>
internal sealed class McpFunctions(McpEndpoint endpoint, ProtectedResource resource, McpOptions options)
{
    [Function("Mcp")]
    public async Task<HttpResponseData> Post(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ProtectedResource.EndpointRoute)] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var request = new McpHttpRequest(
            Header(req, "Accept"), Header(req, "Content-Type"), Header(req, "MCP-Protocol-Version"), Header(req, "Mcp-Session-Id"),
            Header(req, "Mcp-Method"), await req.ReadTextAsync(options.MaxRequestBytes, ct));
        var response = req.CreateResponse();
        var result = await endpoint.HandlePostAsync(request, context.InstanceServices, response.Body, ct);
        response.StatusCode = result.Status;
        if (result.ContentType is { } contentType)
        {
            response.Headers.Add("Content-Type", contentType);
            response.Headers.Add("Cache-Control", "no-cache, no-store");
        }
        return response;
    }

    /// <summary>A stateless server offers no server-to-client stream: a GET (the SSE stream request) gets 405.</summary>
    [Function("McpGetStream")]
    public HttpResponseData GetStream(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ProtectedResource.EndpointRoute)] HttpRequestData req)
    {
        var response = req.CreateResponse(HttpStatusCode.MethodNotAllowed);
        response.Headers.Add("Allow", "POST");
        return response;
    }

    [Function("GetProtectedResourceMetadata")]
    public Task<HttpResponseData> Metadata(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ProtectedResource.MetadataRoute)] HttpRequestData req) =>
        req.BytesAsync(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(resource.Metadata(req.Url), McpJsonUtilities.DefaultOptions.GetTypeInfo<ModelContextProtocol.Authentication.ProtectedResourceMetadata>()),
            Responses.Json);

    private static string? Header(HttpRequestData req, string name) =>
        req.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
