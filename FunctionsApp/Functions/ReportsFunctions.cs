using ComponentCatalog.Auth;
using ComponentCatalog.Http;
using ComponentCatalog.Maintenance;
using ComponentCatalog.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>What the maintenance jobs found, with when each last ran and how long it took.</summary>
public sealed class ReportsFunctions(JobStore jobs)
{
    [Function("GetStaleReport")]
    public Task<HttpResponseData> Stale(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/stale")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, MaintenanceJobs.StaleSweep, "stale", ct);

    [Function("GetDanglingReport")]
    public Task<HttpResponseData> Dangling(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/dangling")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, MaintenanceJobs.DanglingCheck, "dangling", ct);

    [Function("GetQualityTrendReport")]
    public Task<HttpResponseData> QualityTrend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/quality-trend")] HttpRequestData req, FunctionContext context, CancellationToken ct) =>
        ReportAsync(req, context, MaintenanceJobs.QualitySnapshot, "quality-trend", ct, series: true);

    /// <summary>A job's report: exactly the lines of its last completed run, or every line of a series (the trend).</summary>
    private async Task<HttpResponseData> ReportAsync(HttpRequestData req, FunctionContext context, string job, string report, CancellationToken ct, bool series = false)
    {
        var (last, items) = series
            ? (await jobs.GetLastAsync(job, ct), await jobs.ReadSeriesAsync(report, ct))
            : await jobs.ReadLastRunReportAsync(job, report, ct);
        return await req.JsonAsync(new
        {
            job,
            lastRun = last is null ? null : new { last.RunId, last.StartedAt, last.FinishedAt, last.DurationMs, last.Counts },
            items = items.Select(i => i.Data),
        });
    }
}
