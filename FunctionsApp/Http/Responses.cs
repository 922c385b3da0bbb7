using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>Builds responses the way the contract says: JSON camelCase, problem+json for errors.</summary>
internal static class Responses
{
    public const string Json = "application/json; charset=utf-8";
    public const string ProblemJson = "application/problem+json; charset=utf-8";

    public static Task<HttpResponseData> JsonAsync<T>(
        this HttpRequestData request, T body, HttpStatusCode status = HttpStatusCode.OK, string? etag = null) =>
        request.BytesAsync(JsonSerializer.SerializeToUtf8Bytes(body, CatalogJson.Options), Json, status, etag);

    public static Task<HttpResponseData> TextAsync(
        this HttpRequestData request, string body, string contentType, HttpStatusCode status = HttpStatusCode.OK, string? etag = null) =>
        request.BytesAsync(System.Text.Encoding.UTF8.GetBytes(body), contentType, status, etag);

    /// <summary>A body already encoded; reads carry their ETag with <c>Cache-Control: private, no-cache</c>.</summary>
    public static async Task<HttpResponseData> BytesAsync(
        this HttpRequestData request, byte[] body, string contentType, HttpStatusCode status = HttpStatusCode.OK, string? etag = null)
    {
        var response = request.CreateResponse(status);
        if (etag is not null)
        {
            response.Headers.TryAddWithoutValidation("ETag", etag);
            response.Headers.TryAddWithoutValidation("Cache-Control", "private, no-cache");
        }
        response.Headers.Add("Content-Type", contentType);
        await response.Body.WriteAsync(body);
        return response;
    }

    public static HttpResponseData Empty(this HttpRequestData request, HttpStatusCode status, string? etag = null)
    {
        var response = request.CreateResponse(status);
        if (etag is not null)
        {
            response.Headers.TryAddWithoutValidation("ETag", etag);
        }
        return response;
    }

    public static async Task<HttpResponseData> CreateProblemResponseAsync(this HttpRequestData request, Problem problem, string traceId)
    {
        var response = request.CreateResponse(problem.Status);
        foreach (var (name, value) in problem.Headers ?? new Dictionary<string, string>())
        {
            response.Headers.Add(name, value);
        }
        response.Headers.Add("Content-Type", ProblemJson);

        var body = new JsonObject
        {
            ["type"] = problem.Type,
            ["title"] = problem.Title,
            ["status"] = (int)problem.Status,
            ["detail"] = problem.Detail,
            ["instance"] = request.Url.AbsolutePath,
            ["traceId"] = traceId,
        };
        if (problem.Errors is { Count: > 0 } errors)
        {
            body["errors"] = JsonSerializer.SerializeToNode(errors, CatalogJson.Options);
        }
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, CatalogJson.Options));
        return response;
    }
}
