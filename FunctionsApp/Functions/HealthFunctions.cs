using System.Net;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

internal sealed class HealthFunctions(ComponentStore store)
{
    /// <summary>Liveness without dependencies: the process answers. Also the benchmark's floor for a function hop.</summary>
    [Function("Ping")]
    public HttpResponseData Ping(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ping")] HttpRequestData req) =>
        req.Empty(HttpStatusCode.NoContent);

    [Function("Health")]
    public async Task<HttpResponseData> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequestData req, CancellationToken ct)
    {
        try
        {
            await store.PingAsync(ct);
            return await req.JsonAsync(new { status = "healthy", storage = "ok" });
        }
        catch (StorageUnavailableException)
        {
            var response = await req.JsonAsync(new { status = "unhealthy", storage = "unavailable" }, HttpStatusCode.ServiceUnavailable);
            response.Headers.Add("Retry-After", "5");
            return response;
        }
    }
}
