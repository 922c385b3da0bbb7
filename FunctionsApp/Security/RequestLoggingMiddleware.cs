using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Security;

/// <summary>
/// One structured line per HTTP request: function, method, path (no query string), status, duration, principal
/// id and correlation id. Registered first so it sees the response the client gets, errors included. Never a
/// header or body value: tokens and keys stay out of the logs.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(ILogger<RequestLoggingMiddleware> logger, TimeProvider clock) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var request = await context.GetHttpRequestDataAsync();
        if (request is null)
        {
            await next(context);
            return;
        }

        var started = clock.GetTimestamp();
        var status = 500;
        try
        {
            await next(context);
            status = context.GetHttpResponseData() is { } response ? (int)response.StatusCode : 200;
        }
        finally
        {
            Write(
                logger,
                context.FunctionDefinition.Name,
                request,
                status,
                clock.GetElapsedTime(started),
                context.TryGetUser(out var user) ? user.Id : context.Items.TryGetValue(AuthMiddleware.CallerIdKey, out var caller) ? caller as string : null,
                context.Items.TryGetValue(CorrelationMiddleware.HeaderName, out var id) ? id as string : null);
        }
    }

    /// <summary>The request line. Takes the request only for its method and path: no header, query or body value.</summary>
    internal static void Write(
        ILogger logger, string function, HttpRequestData request, int status, TimeSpan duration, string? principal, string? correlationId) =>
        LogRequest(
            logger,
            status >= 500 ? LogLevel.Warning : LogLevel.Information,
            function,
            request.Method,
            request.Url.AbsolutePath,
            status,
            Math.Round(duration.TotalMilliseconds, 1),
            principal ?? "anonymous",
            correlationId ?? string.Empty);

    [LoggerMessage(EventId = 5200,
        Message = "HTTP {Function} {Method} {Path} → {Status} in {DurationMs} ms; principal {Principal}, correlation {CorrelationId}")]
    private static partial void LogRequest(
        ILogger logger, LogLevel level, string function, string method, string path, int status, double durationMs, string principal, string correlationId);
}
