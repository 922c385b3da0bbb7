using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace ComponentCatalog.Http;

/// <summary>
/// Every HTTP response carries <c>X-Correlation-Id</c>: the client's, when it sent a sane one,
/// otherwise a new one. Runs outermost so error responses carry it too.
/// </summary>
internal sealed class CorrelationMiddleware : IFunctionsWorkerMiddleware
{
    public const string HeaderName = "X-Correlation-Id";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var request = await context.GetHttpRequestDataAsync();
        if (request is null)
        {
            await next(context);
            return;
        }

        var id = CorrelationId.FromHeader(request.Headers.TryGetValues(HeaderName, out var values) ? values : null);
        context.Items[HeaderName] = id;
        try
        {
            await next(context);
        }
        finally
        {
            var response = context.GetHttpResponseData();
            if (response is not null)
            {
                response.Headers.Remove(HeaderName);
                response.Headers.Add(HeaderName, id);
            }
        }
    }
}

internal static class CorrelationId
{
    /// <summary>Echo a client id only when it is one short token of safe characters.</summary>
    public static string FromHeader(IEnumerable<string>? values)
    {
        var candidate = values?.ToArray() is [var single] ? single.Trim() : null;
        return candidate is { Length: > 0 and <= 128 } && candidate.All(IsSafe)
            ? candidate
            : Guid.NewGuid().ToString("N");
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
