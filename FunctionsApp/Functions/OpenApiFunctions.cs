using System.Net;
using ComponentCatalog.Catalog;
using ComponentCatalog.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary><c>GET /api/openapi.json</c>: the API's own OpenAPI document, anonymous.</summary>
internal sealed class OpenApiFunctions
{
    public const string ContentType = "application/json; charset=utf-8";

    [Function("GetOpenApi")]
    public static async Task<HttpResponseData> GetOpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequestData req, CancellationToken ct)
    {
        var conditions = new Preconditions(null, req.Headers.TryGetValues("If-None-Match", out var values) ? string.Join(", ", values) : null);
        if (conditions.IfNoneMatchMatches(OpenApiDocument.ETag))
        {
            var notModified = req.CreateResponse(HttpStatusCode.NotModified);
            notModified.Headers.Add("ETag", OpenApiDocument.ETag);
            return notModified;
        }

        var response = req.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", ContentType);
        response.Headers.Add("ETag", OpenApiDocument.ETag);
        response.Headers.Add("Cache-Control", "public, max-age=300");
        await response.Body.WriteAsync(OpenApiDocument.Utf8, ct);
        return response;
    }
}
