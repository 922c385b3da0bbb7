using System.Text.Json;
using ComponentCatalog.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Errors;

/// <summary>
/// Turns every failure of an HTTP function into problem+json through <see cref="ProblemMapper"/>.
/// Timer invocations rethrow, so a failed maintenance run is never swallowed.
/// </summary>
internal sealed partial class ExceptionMiddleware(ILogger<ExceptionMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            var request = await context.GetHttpRequestDataAsync();
            if (request is null)
            {
                throw;
            }

            var cause = Unwrap(exception);
            var problem = Mcp.ProtectedResource.WithResourceMetadata(ProblemMapper.Map(cause), context.FunctionDefinition.Name, request.Url);
            var traceId = context.TraceContext.TraceParent is { Length: > 0 } tp ? tp : context.InvocationId;
            if ((int)problem.Status >= 500)
            {
                LogUnhandled(logger, cause, context.FunctionDefinition.Name, traceId);
            }

            var response = await request.CreateProblemResponseAsync(problem, traceId);
            context.GetInvocationResult().Value = response;
        }
    }

    /// <summary>The worker wraps function exceptions; JSON errors in a body are the client's.</summary>
    private static Exception Unwrap(Exception exception)
    {
        var current = exception;
        while (current is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException
               && current.InnerException is not null)
        {
            current = current.InnerException!;
        }

        while (current is not CatalogException && current.InnerException is CatalogException inner)
        {
            current = inner;
        }

        return current switch
        {
            JsonException json => RequestBody.InvalidJson(json),
            _ => current,
        };
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Function {FunctionName} failed; traceId {TraceId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string functionName, string traceId);
}
