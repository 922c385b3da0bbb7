using ComponentCatalog.Maintenance;
using Microsoft.Azure.Functions.Worker;

namespace ComponentCatalog.Functions;

/// <summary>
/// The timer-triggered jobs. Schedules are NCRONTAB app settings (defaults in local.settings.sample.json
/// and infra/); locally each runs on demand with <c>POST /admin/functions/{name}</c>.
/// </summary>
internal sealed class MaintenanceFunctions(MaintenanceJobs jobs)
{
    [Function("StaleSweep")]
    public Task StaleSweep([TimerTrigger("%Maintenance__StaleSweepSchedule%")] TimerInfo timer, CancellationToken ct) =>
        jobs.RunStaleSweepAsync(ct);

    [Function("DanglingCheck")]
    public Task DanglingCheck([TimerTrigger("%Maintenance__DanglingCheckSchedule%")] TimerInfo timer, CancellationToken ct) =>
        jobs.RunDanglingCheckAsync(ct);

    [Function("PurgeDeleted")]
    public Task Purge([TimerTrigger("%Maintenance__PurgeSchedule%")] TimerInfo timer, CancellationToken ct) =>
        jobs.RunPurgeAsync(ct);

    [Function("QualitySnapshot")]
    public Task QualitySnapshot([TimerTrigger("%Maintenance__QualitySnapshotSchedule%")] TimerInfo timer, CancellationToken ct) =>
        jobs.RunQualitySnapshotAsync(ct);

    [Function("ReconcileIndex")]
    public Task ReconcileIndex([TimerTrigger("%Maintenance__ReconcileIndexSchedule%")] TimerInfo timer, CancellationToken ct) =>
        jobs.RunReconcileIndexAsync(ct);
}
