using System.Diagnostics;
using System.Text.Json;
using DevHost.Functions;
using DevHost.Rpc;
using DevHost.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DevHost.Http;

/// <summary>
/// The public port: the host's own <c>/admin</c> endpoints, then the function routes. Each routed request is one
/// InvocationRequest; the worker's answer is written back as the real host writes it.
/// </summary>
internal sealed partial class PublicHttpHandler(HostState state, WorkerChannel channel, ILogger<PublicHttpHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (RequestGuard.Check(context.Request, state.MaxRequestBodyBytes) is { } refusal)
        {
            await RequestGuard.WriteAsync(context.Response, refusal);
            return;
        }
        RequestGuard.LimitBody(context, state.MaxRequestBodyBytes);

        var path = context.Request.Path;
        if (path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            await AdminAsync(context);
            return;
        }
        if (state is not { Ready: true, Routes: { } routes })
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return;
        }
        if (routes.Match(context) is not { } match)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await InvokeHttpAsync(context, match);
    }

    private async Task InvokeHttpAsync(HttpContext context, RouteMatch match)
    {
        var started = Stopwatch.GetTimestamp();
        var function = match.Function;
        ReadOnlyMemory<byte> body;
        try
        {
            body = await ReadBodyAsync(context);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RequestGuard.WriteAsync(context.Response, new Refusal(exception.StatusCode, "Payload too large",
                $"The body is larger than {state.MaxRequestBodyBytes} bytes ({RequestGuard.BodyLimitSetting})."));
            return;
        }
        catch (BadHttpRequestException exception)
        {
            context.Response.StatusCode = exception.StatusCode;
            return;
        }

        var invocation = HttpInvoker.CreateInvocation(function, context.Request, match.Values, body, Guid.NewGuid().ToString());
        HttpResponsePlan plan;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            timeout.CancelAfter(state.HostJson.FunctionTimeout);
            try
            {
                var response = await channel.InvokeAsync(invocation, timeout.Token);
                if (response.Result?.Status != StatusResult.Types.Status.Success)
                {
                    LogInvocationFailed(logger, function.Name, invocation.InvocationId, response.Result?.Exception?.Message ?? "no result");
                }
                plan = HttpInvoker.MapResponse(function, response);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                LogClientGone(logger, function.Name, invocation.InvocationId);
                return;
            }
            catch (OperationCanceledException)
            {
                LogTimedOut(logger, function.Name, invocation.InvocationId, state.HostJson.FunctionTimeout);
                plan = HttpResponsePlan.Empty(StatusCodes.Status500InternalServerError);
            }
            catch (WorkerUnavailableException exception)
            {
                LogInvocationFailed(logger, function.Name, invocation.InvocationId, exception.Message);
                plan = HttpResponsePlan.Empty(StatusCodes.Status500InternalServerError);
            }
        }

        await HttpInvoker.WriteAsync(context.Response, plan, context.RequestAborted);
        LogRequest(logger, context.Request.Method, context.Request.Path, function.Name, plan.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, invocation.TraceContext.TraceParent);
    }

    /// <summary>
    /// The whole body, within <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c> (set on the request by <see cref="RequestGuard"/>);
    /// empty when there is none. The buffer grows with what arrives: a declared Content-Length reserves nothing.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.TryGetBuffer(out var segment) ? segment.AsMemory() : buffer.ToArray();
    }

    private async Task AdminAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = request.Path.Value!.Trim('/').Split('/');
        if (segments is [_, "host", "status"] && HttpMethods.IsGet(request.Method))
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = state.InstanceId,
                state = state.Ready ? "Running" : "Initialized",
                version = "devhost",
                processUptime = (long)(DateTimeOffset.UtcNow - state.StartedAt).TotalMilliseconds,
            });
            return;
        }
        if (segments is [_, var functions, var name] && functions.Equals("functions", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method))
        {
            await InvokeOnDemandAsync(context, name);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary><c>POST /admin/functions/{name}</c> with <c>{"input": "..."}</c>: 400 without a body, 404 for unknown names, else 202 and run in the background.</summary>
    private async Task InvokeOnDemandAsync(HttpContext context, string name)
    {
        string? input;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            input = document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("input", out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (state is not { Ready: true, Registry: { } registry, Invoker: { } invoker })
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        if (registry.Find(name) is not { } function)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (function.IsHttp)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"{function.Name} is HTTP-triggered: call its route instead.");
            return;
        }

        var timerInfo = state.Timers?.CreateOnDemandTimerInfo(function) ?? "{}";
        _ = Task.Run(() => invoker.InvokeAdminAsync(function, input, timerInfo, CancellationToken.None));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "{Method} {Path} -> {FunctionName} {StatusCode} in {DurationMs:0.0} ms (traceparent {TraceParent})")]
    private static partial void LogRequest(ILogger logger, string method, string path, string functionName, int statusCode, double durationMs, string traceParent);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "{FunctionName} (Id={InvocationId}) failed: {Error}")]
    private static partial void LogInvocationFailed(ILogger logger, string functionName, string invocationId, string error);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "{FunctionName} (Id={InvocationId}): the client went away; cancelled")]
    private static partial void LogClientGone(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "{FunctionName} (Id={InvocationId}) exceeded functionTimeout {Timeout}; cancelled, answering 500")]
    private static partial void LogTimedOut(ILogger logger, string functionName, string invocationId, TimeSpan timeout);
}
