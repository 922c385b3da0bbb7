using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>What the maintenance jobs found, with when each last ran and how long it took.</summary>
internal sealed class ReportsFunctions(CatalogReports reports)
{
    [Function("GetStaleReport")]
    public Task<HttpResponseData> Stale(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/stale")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, "stale", ct);

    [Function("GetDanglingReport")]
    public Task<HttpResponseData> Dangling(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/dangling")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, "dangling", ct);

    [Function("GetQualityTrendReport")]
    public Task<HttpResponseData> QualityTrend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/quality-trend")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, "quality-trend", ct);

    private async Task<HttpResponseData> ReportAsync(HttpRequestData req, FunctionContext context, string report, CancellationToken ct) =>
        await req.JsonAsync(await reports.ReadAsync(report, ct));
}
