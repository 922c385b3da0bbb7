using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DevHost.Functions;
using DevHost.Rpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace DevHost.Http;

/// <summary>What to write back for one invocation: status, headers (worker casing, values as sent), cookies, body.</summary>
internal sealed record HttpResponsePlan(int StatusCode, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> SetCookies, ReadOnlyMemory<byte> Body)
{
    public static HttpResponsePlan Empty(int statusCode) => new(statusCode, null, [], [], ReadOnlyMemory<byte>.Empty);
}

/// <summary>
/// The pure half of the HTTP path, as the real host does it for a worker that advertises
/// <c>UseNullableValueDictionaryForHttp</c>, <c>RpcHttpBodyOnly</c>, <c>RawHttpBodyBytes</c> and
/// <c>RpcHttpTriggerMetadataRemoved</c>: an ASP.NET request becomes one InvocationRequest; an InvocationResponse
/// becomes a response plan.
/// </summary>
internal static class HttpInvoker
{
    private static readonly HashSet<string> SkippedResponseHeaders = new(StringComparer.OrdinalIgnoreCase) { "Content-Length", "Transfer-Encoding" };

    public static InvocationRequest CreateInvocation(FunctionDescriptor function, HttpRequest request, RouteValueDictionary routeValues, ReadOnlyMemory<byte> body, string invocationId)
    {
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
        };
        foreach (var (name, values) in request.Headers)
        {
            http.NullableHeaders[name.ToLowerInvariant()] = new NullableString { Value = values.ToString() };
        }
        foreach (var (name, values) in request.Query)
        {
            http.NullableQuery[name] = new NullableString { Value = values.ToString() };
        }
        foreach (var (name, value) in routeValues)
        {
            if (value is not null)
            {
                http.NullableParams[name] = new NullableString { Value = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty };
            }
        }
        if (!body.IsEmpty)
        {
            http.Body = new TypedData { Bytes = ByteString.CopyFrom(body.Span) };
        }

        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = CreateTraceContext(request.Headers["traceparent"].ToString(), request.Headers["tracestate"].ToString()),
        };
        invocation.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Http = http } });
        AddTriggerMetadata(invocation.TriggerMetadata, request, routeValues, body);
        return invocation;
    }

    /// <summary>
    /// Binding data: JSON body properties, then query keys (not <c>code</c>), then route values (which win),
    /// then <c>Query</c> and <c>Headers</c> as JSON.
    /// </summary>
    private static void AddTriggerMetadata(IDictionary<string, TypedData> metadata, HttpRequest request, RouteValueDictionary routeValues, ReadOnlyMemory<byte> body)
    {
        if (!body.IsEmpty && IsJson(request.ContentType))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String
                            ? new TypedData { String = property.Value.GetString() }
                            : new TypedData { Json = property.Value.GetRawText() };
                    }
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException)
            {
                // Not JSON, or a string that is not text (a lone surrogate escape): no body properties; the function answers.
            }
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            query[name] = values.ToString();
            if (!string.Equals(name, "code", StringComparison.OrdinalIgnoreCase))
            {
                metadata[name] = new TypedData { String = values.ToString() };
            }
        }
        foreach (var (name, value) in routeValues)
        {
            if (value is not null)
            {
                metadata[name] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty };
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }
        metadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query) };
        metadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(headers) };
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || parsed.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The worker needs a trace context on every invocation. A valid incoming <c>traceparent</c> is continued
    /// (same trace id and flags, a new span id for this hop); otherwise a new trace starts.
    /// </summary>
    public static RpcTraceContext CreateTraceContext(string? traceParent, string? traceState)
    {
        var span = ActivitySpanId.CreateRandom();
        if (traceParent is { Length: > 0 } && ActivityContext.TryParse(traceParent, traceState, out var parent))
        {
            var flags = parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
            return new RpcTraceContext { TraceParent = $"00-{parent.TraceId.ToHexString()}-{span.ToHexString()}-{flags}", TraceState = parent.TraceState ?? string.Empty };
        }
        return new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{span.ToHexString()}-00", TraceState = string.Empty };
    }

    /// <summary>Where the worker put the HTTP result: <c>return_value</c> for <c>$return</c>, else the named output.</summary>
    public static TypedData? FindHttpResult(FunctionDescriptor function, InvocationResponse response)
    {
        if (function.HttpOutputName is { } name && name != "$return")
        {
            return response.OutputData.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))?.Data;
        }
        return response.ReturnValue;
    }

    public static HttpResponsePlan MapResponse(FunctionDescriptor function, InvocationResponse response)
    {
        if (response.Result?.Status != StatusResult.Types.Status.Success)
        {
            return HttpResponsePlan.Empty(StatusCodes.Status500InternalServerError);
        }

        var result = FindHttpResult(function, response);
        if (result is null || result.DataCase == TypedData.DataOneofCase.None)
        {
            return HttpResponsePlan.Empty(StatusCodes.Status200OK);
        }
        if (result.DataCase != TypedData.DataOneofCase.Http)
        {
            return new HttpResponsePlan(StatusCodes.Status200OK, null, [], [], BodyBytes(result));
        }

        var http = result.Http;
        var status = int.TryParse(http.StatusCode, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 999
            ? code
            : StatusCodes.Status200OK;
        string? contentType = null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in http.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!SkippedResponseHeaders.Contains(name))
            {
                headers.Add(new(name, value));
            }
        }
        return new HttpResponsePlan(status, contentType, headers, [.. http.Cookies.Select(FormatCookie)], http.Body is null ? ReadOnlyMemory<byte>.Empty : BodyBytes(http.Body));
    }

    private static ReadOnlyMemory<byte> BodyBytes(TypedData data) => data.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => data.Bytes.Memory,
        TypedData.DataOneofCase.Stream => data.Stream.Memory,
        TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(data.String),
        TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(data.Json),
        TypedData.DataOneofCase.Int => Encoding.UTF8.GetBytes(data.Int.ToString(CultureInfo.InvariantCulture)),
        TypedData.DataOneofCase.Double => Encoding.UTF8.GetBytes(data.Double.ToString(CultureInfo.InvariantCulture)),
        _ => ReadOnlyMemory<byte>.Empty,
    };

    /// <summary>An RpcHttpCookie as a <c>Set-Cookie</c> value, formatted like ASP.NET Core's response cookies.</summary>
    public static string FormatCookie(RpcHttpCookie cookie)
    {
        var header = new SetCookieHeaderValue(cookie.Name, Uri.EscapeDataString(cookie.Value))
        {
            Domain = cookie.Domain?.Value is { Length: > 0 } domain ? domain : null,
            Path = cookie.Path?.Value is { Length: > 0 } path ? path : null,
            Expires = cookie.Expires?.Value is { } expires ? expires.ToDateTimeOffset() : null,
            Secure = cookie.Secure?.Value ?? false,
            HttpOnly = cookie.HttpOnly?.Value ?? false,
            MaxAge = cookie.MaxAge is { } maxAge ? TimeSpan.FromSeconds(maxAge.Value) : null,
            SameSite = cookie.SameSite switch
            {
                RpcHttpCookie.Types.SameSite.Lax => Microsoft.Net.Http.Headers.SameSiteMode.Lax,
                RpcHttpCookie.Types.SameSite.Strict => Microsoft.Net.Http.Headers.SameSiteMode.Strict,
                RpcHttpCookie.Types.SameSite.ExplicitNone => Microsoft.Net.Http.Headers.SameSiteMode.None,
                _ => Microsoft.Net.Http.Headers.SameSiteMode.Unspecified,
            },
        };
        return header.ToString();
    }

    public static async Task WriteAsync(HttpResponse response, HttpResponsePlan plan, CancellationToken ct)
    {
        response.StatusCode = plan.StatusCode;
        foreach (var (name, value) in plan.Headers)
        {
            response.Headers.Append(name, value);
        }
        foreach (var cookie in plan.SetCookies)
        {
            response.Headers.Append(HeaderNames.SetCookie, cookie);
        }
        if (plan.ContentType is not null)
        {
            response.ContentType = plan.ContentType;
        }
        if (!plan.Body.IsEmpty)
        {
            response.ContentLength = plan.Body.Length;
            await response.Body.WriteAsync(plan.Body, ct);
        }
    }
}
