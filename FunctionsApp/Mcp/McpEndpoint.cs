using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Errors;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ComponentCatalog.Mcp;

/// <summary>One POST to the MCP endpoint, as the function read it: the headers that matter and the body text.</summary>
internal sealed record McpHttpRequest(string? Accept, string? ContentType, string? ProtocolVersion, string? SessionId, string? McpMethod, string Body);

/// <summary>What to answer: the status and, when a body was written, its media type.</summary>
internal sealed record McpHttpResult(HttpStatusCode Status, string? ContentType);

/// <summary>
/// The streamable HTTP transport, stateless, for a host that hands over a request body and takes back a response
/// body (the isolated worker's <c>HttpRequestData</c>/<c>HttpResponseData</c>). The SDK does the protocol: each POST
/// gets a fresh <see cref="StreamableHttpServerTransport"/> with <c>Stateless = true</c> and a fresh
/// <see cref="McpServer"/> over the shared tools, resources and prompts, so any instance answers any request. Written
/// here is only the HTTP edge that the SDK keeps in its ASP.NET Core package: the Accept and Content-Type checks,
/// reading the JSON-RPC message, the protocol-version and session headers, and the status line (ADR 0030). Misuse of
/// the transport is thrown as the catalog's exceptions, so it answers problem+json like every other route.
/// </summary>
internal sealed partial class McpEndpoint(CatalogMcpServer primitives, ILoggerFactory loggerFactory, ILogger<McpEndpoint> logger)
{
    public const string EventStream = "text/event-stream";

    /// <summary>Revisions the SDK's server serves; the newest drops the initialize handshake (2026-07-28).</summary>
    public static readonly IReadOnlyList<string> SupportedProtocolVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

    private const string PerRequestMetadataVersion = "2026-07-28";

    public async Task<McpHttpResult> HandlePostAsync(McpHttpRequest request, IServiceProvider services, Stream responseBody, CancellationToken ct)
    {
        if (!Accepts(request.Accept, "application/json") || !Accepts(request.Accept, EventStream))
        {
            throw new NotAcceptableException("The client must accept both application/json and text/event-stream (MCP streamable HTTP).");
        }
        if (!IsJson(request.ContentType))
        {
            throw new UnsupportedMediaTypeException("Send the JSON-RPC message as application/json.");
        }
        if (!string.IsNullOrEmpty(request.SessionId))
        {
            throw new ValidationException("Mcp-Session-Id", "This server is stateless and issues no Mcp-Session-Id; send none.");
        }

        JsonRpcMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(request.Body, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>());
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null)
        {
            throw new ValidationException("body", "The body is not one JSON-RPC 2.0 message.");
        }

        var id = message is JsonRpcRequest withId ? withId.Id : default;
        if (HeaderProblem(request, message) is { } problem)
        {
            return await ErrorAsync(responseBody, HttpStatusCode.BadRequest, problem.Code, problem.Message, id, problem.Data);
        }

        if (!string.IsNullOrEmpty(request.ProtocolVersion))
        {
            message.Context ??= new();
            message.Context.ProtocolVersion = request.ProtocolVersion;
        }

        var status = HttpStatusCode.OK;
        var perRequestMetadata = RequiresPerRequestMetadata(request.ProtocolVersion);
        var transport = new StreamableHttpServerTransport(loggerFactory) { Stateless = true };
        var server = McpServer.Create(transport, primitives.CreateOptions(), loggerFactory, services);
        await using (server.ConfigureAwait(false))
        {
            var running = server.RunAsync(ct);
            bool wrote;
            try
            {
                wrote = await transport.HandlePostRequestAsync(message, responseBody, first =>
                {
                    // The 2026-07-28 revision gives some JSON-RPC errors an HTTP status; only the first write can set it.
                    if (perRequestMetadata && first is JsonRpcError { Error: { } error })
                    {
                        status = (McpErrorCode)error.Code switch
                        {
                            McpErrorCode.MethodNotFound => HttpStatusCode.NotFound,
                            McpErrorCode.MissingRequiredClientCapability or McpErrorCode.UnsupportedProtocolVersion or McpErrorCode.HeaderMismatch => HttpStatusCode.BadRequest,
                            _ => status,
                        };
                    }
                    return default;
                }, ct);
            }
            finally
            {
                await transport.DisposeAsync();
                await AwaitQuietlyAsync(running);
            }

            return wrote ? new McpHttpResult(status, EventStream) : new McpHttpResult(HttpStatusCode.Accepted, null);
        }
    }

    /// <summary>
    /// A protocol error the HTTP edge decides before the server runs, as a JSON-RPC error body (clients read its code
    /// and data, e.g. the supported versions, to fall back). Transport misuse is a problem+json like the API's.
    /// </summary>
    private static async Task<McpHttpResult> ErrorAsync(
        Stream body, HttpStatusCode status, McpErrorCode code, string message, RequestId id = default, JsonNode? data = null)
    {
        var error = new JsonRpcError { Id = id, Error = new JsonRpcErrorDetail { Code = (int)code, Message = message, Data = data } };
        await JsonSerializer.SerializeAsync(body, error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>());
        return new McpHttpResult(status, "application/json; charset=utf-8");
    }

    /// <summary>
    /// The header checks of the streamable HTTP transport: a known <c>MCP-Protocol-Version</c>; from 2026-07-28 on, an
    /// <c>Mcp-Method</c> header equal to the body's method and a <c>_meta</c> protocol version equal to the header.
    /// </summary>
    internal static (McpErrorCode Code, string Message, JsonNode? Data)? HeaderProblem(McpHttpRequest request, JsonRpcMessage message)
    {
        var version = request.ProtocolVersion;
        if (!string.IsNullOrEmpty(version) && !SupportedProtocolVersions.Contains(version))
        {
            var data = JsonSerializer.SerializeToNode(
                new UnsupportedProtocolVersionErrorData { Supported = [.. SupportedProtocolVersions], Requested = version },
                McpJsonUtilities.DefaultOptions.GetTypeInfo<UnsupportedProtocolVersionErrorData>());
            return (McpErrorCode.UnsupportedProtocolVersion, $"Bad Request: MCP-Protocol-Version '{version}' is not supported.", data);
        }
        if (!RequiresPerRequestMetadata(version))
        {
            return null;
        }

        var (method, parameters) = message switch
        {
            JsonRpcRequest r => (r.Method, r.Params),
            JsonRpcNotification n => (n.Method, n.Params),
            _ => (null, null),
        };
        if (method is null)
        {
            return null;
        }
        if (!string.Equals(request.McpMethod?.Trim(), method, StringComparison.Ordinal))
        {
            return (McpErrorCode.HeaderMismatch, $"Bad Request: the Mcp-Method header must name the body's method '{method}'.", null);
        }
        var declared = (parameters as JsonObject)?["_meta"]?["io.modelcontextprotocol/protocolVersion"]?.GetValue<string>();
        if (message is JsonRpcRequest && declared is null)
        {
            return (McpErrorCode.InvalidParams, $"Requests of protocol version '{version}' must carry _meta/io.modelcontextprotocol/protocolVersion.", null);
        }
        if (declared is not null && declared != version)
        {
            return (McpErrorCode.HeaderMismatch, $"Bad Request: MCP-Protocol-Version '{version}' differs from the body's '{declared}'.", null);
        }
        return null;
    }

    private static bool RequiresPerRequestMetadata(string? version) =>
        !string.IsNullOrEmpty(version) && string.CompareOrdinal(version, PerRequestMetadataVersion) >= 0;

    private static bool Accepts(string? accept, string mediaType) =>
        accept is not null && accept.Split(',').Any(part =>
            MediaTypeWithQualityHeaderValue.TryParse(part, out var value)
            && (string.Equals(value.MediaType, mediaType, StringComparison.OrdinalIgnoreCase) || value.MediaType == "*/*"));

    private static bool IsJson(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var value)
        && string.Equals(value.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private async Task AwaitQuietlyAsync(Task running)
    {
        try
        {
            await running;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            LogServerStopped(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "MCP server of one request stopped with {Reason}")]
    private static partial void LogServerStopped(ILogger logger, string reason);
}
