using System.Text.Json;
using ComponentCatalog.Storage;

namespace ComponentCatalog.Maintenance;

/// <summary>When a job last ran, for a report: <c>runId, startedAt, finishedAt, durationMs, counts</c>.</summary>
internal sealed record ReportRun(string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long DurationMs, IReadOnlyDictionary<string, int> Counts);

/// <summary>One report as clients see it: the job, its last run, and what it found.</summary>
internal sealed record Report(string Job, ReportRun? LastRun, IReadOnlyList<JsonElement> Items);

/// <summary>
/// What the maintenance jobs found (<c>GET /api/reports/*</c> and the MCP <c>list_report_items</c> tool): exactly the
/// items of a job's last completed run, or every point of a series (the quality trend).
/// </summary>
internal sealed class CatalogReports(JobStore jobs)
{
    /// <summary>Report name → the job that writes it.</summary>
    public static IReadOnlyDictionary<string, string> Jobs { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["stale"] = MaintenanceJobs.StaleSweep,
        ["dangling"] = MaintenanceJobs.DanglingCheck,
        ["quality-trend"] = MaintenanceJobs.QualitySnapshot,
    };

    public async Task<Report> ReadAsync(string report, CancellationToken ct = default)
    {
        var job = Jobs.TryGetValue(report, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(report), report, "Unknown report.");
        var (last, items) = job == MaintenanceJobs.QualitySnapshot
            ? (await jobs.GetLastAsync(job, ct), await jobs.ReadSeriesAsync(report, ct))
            : await jobs.ReadLastRunReportAsync(job, report, ct);
        return new Report(
            job,
            last is null ? null : new ReportRun(last.RunId, last.StartedAt, last.FinishedAt, last.DurationMs, last.Counts),
            [.. items.Select(i => i.Data)]);
    }
}
