using System.Diagnostics;
using ComponentCatalog.Catalog;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Maintenance;

/// <summary>What a job run reports: done, skipped because another instance holds the lease, or partial.</summary>
internal sealed record JobOutcome(string Job, string Status, JobRun? Run);

/// <summary>
/// The timer-triggered maintenance: stale sweep, dangling-reference check, purge of expired soft
/// deletes, quality snapshot, and index reconciliation. Every job runs under a Table lease (one run at a
/// time across instances), checkpoints its cursor (a crashed run resumes after the last item done),
/// does at most <see cref="MaintenanceOptions.MaxItemsPerRun"/> items, and is idempotent.
/// </summary>
internal sealed partial class MaintenanceJobs(
    JobStore jobs, ComponentStore documents, ComponentDocuments catalog, ComponentSearch search, TimeProvider clock,
    CatalogOptions catalogOptions, MaintenanceOptions options, ILogger<MaintenanceJobs> logger)
{
    public const string StaleSweep = "stale-sweep";
    public const string DanglingCheck = "dangling-check";
    public const string Purge = "purge";
    public const string QualitySnapshot = "quality-snapshot";
    public const string ReconcileIndex = "reconcile-index";

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Documents neither updated nor reviewed within <c>Catalog:StaleAfterDays</c> → report <c>stale</c>.</summary>
    public Task<JobOutcome> RunStaleSweepAsync(CancellationToken ct = default) => RunAsync(StaleSweep, async (run, step) =>
    {
        var staleBefore = clock.GetUtcNow().AddDays(-catalogOptions.StaleAfterDays);
        var batch = NextEntries(await search.CurrentEntriesAsync(ct), run.Cursor);
        var stale = batch.Where(e => CatalogIndex.IsStale(e, staleBefore)).ToList();
        await jobs.WriteRunRowsAsync("stale", run.RunId, stale.Select(e => (e.Name, (object)new
        {
            name = e.Name, title = e.Title, owner = e.Owner, updatedAt = e.UpdatedAt, reviewedAt = e.ReviewedAt,
            lastTouched = e.ReviewedAt is { } r && r > e.UpdatedAt ? r : e.UpdatedAt,
        })), ct);
        return step(batch.Count, batch.LastOrDefault()?.Name, new() { ["checked"] = batch.Count, ["stale"] = stale.Count });
    }, "stale", ct);

    /// <summary>References to components that are not in the catalog → report <c>dangling</c>.</summary>
    public Task<JobOutcome> RunDanglingCheckAsync(CancellationToken ct = default) => RunAsync(DanglingCheck, async (run, step) =>
    {
        var entries = await search.CurrentEntriesAsync(ct);
        var names = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var batch = NextEntries(entries, run.Cursor);
        var dangling = batch.SelectMany(e => e.Edges).Where(edge => !names.Contains(edge.To)).ToList();
        await jobs.WriteRunRowsAsync("dangling", run.RunId, dangling.Select(d => ($"{d.From}|{d.To}", (object)new
        {
            from = d.From, to = d.To, kind = d.Kind, relationship = d.Relationship,
        })), ct);
        return step(batch.Count, batch.LastOrDefault()?.Name, new() { ["checked"] = batch.Count, ["dangling"] = dangling.Count });
    }, "dangling", ct);

    /// <summary>Deletes soft-deleted documents past <c>Catalog:DeletedRetentionDays</c>, with every row they own.</summary>
    public Task<JobOutcome> RunPurgeAsync(CancellationToken ct = default) => RunAsync(Purge, async (run, step) =>
    {
        var cutoff = clock.GetUtcNow().AddDays(-catalogOptions.DeletedRetentionDays);
        var heads = await documents.ListHeadsAsync(run.Cursor, options.MaxItemsPerRun, deletedOnly: true, ct);
        var purged = 0;
        foreach (var head in heads)
        {
            if (head.DeletedAt is { } at && at < cutoff && await documents.PurgeAsync(head, ct, marked => LogPurgeAsync(marked, ct)))
            {
                search.Apply(head.Name, null);
                purged++;
            }
        }
        return step(heads.Count, heads.LastOrDefault()?.Name, new() { ["deleted"] = heads.Count, ["purged"] = purged });
    }, report: null, ct);

    /// <summary>
    /// The purge's change event, logged in the change log itself once the head is marked (the document's partition,
    /// where other events commit, is about to go). Its id is stable, so a rerun after a crash repeats it, never changes it.
    /// </summary>
    private Task LogPurgeAsync(HeadState marked, CancellationToken ct)
    {
        var change = Events.ChangeEvent.ForState(
            marked.WriteId + "-purged", Events.ChangeTypes.Purged, clock.GetUtcNow(), marked.Name, marked.Revision, marked.Owner, [], null, null);
        return search.AnnounceAsync([new ChangeIntent(marked.Name, marked.Revision, marked.WriteId + "-purged", change.ToStored())], ct);
    }

    /// <summary>Today's scores per document and per owner → report <c>quality-trend</c> (one line a day).</summary>
    public Task<JobOutcome> RunQualitySnapshotAsync(CancellationToken ct = default) => RunAsync(QualitySnapshot, async (run, step) =>
    {
        var day = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var scored = (await search.CurrentEntriesAsync(ct)).Where(e => e.Score is not null).ToList();
        var byOwner = scored.GroupBy(e => e.Owner ?? "(none)", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new { average = Math.Round(g.Average(e => e.Score!.Value), 1), count = g.Count() }, StringComparer.Ordinal);
        var overall = new { average = scored.Count == 0 ? (double?)null : Math.Round(scored.Average(e => e.Score!.Value), 1), count = scored.Count };
        await jobs.WriteSeriesRowsAsync("quality-trend", run.RunId, [(day, new { day, overall, owners = byOwner })], ct);
        await jobs.WriteSeriesRowsAsync("quality-daily-" + day, run.RunId, scored.Select(e => (e.Name, (object)new { name = e.Name, owner = e.Owner, score = e.Score })), ct);
        return step(0, null, new() { ["scored"] = scored.Count, ["owners"] = byOwner.Count });
    }, report: null, ct);

    /// <summary>
    /// Repairs index entries that disagree with the heads: heads written before entries were committed with
    /// them, or anything this instance's index missed. Each repair is announced, so every instance applies it.
    /// </summary>
    public Task<JobOutcome> RunReconcileIndexAsync(CancellationToken ct = default) =>
        RunAsync(ReconcileIndex, async (run, step) =>
        {
            var indexed = (await search.CurrentEntriesAsync(ct)).ToDictionary(e => e.Name, StringComparer.Ordinal);
            var heads = await documents.ListHeadsAsync(run.Cursor, options.MaxItemsPerRun, deletedOnly: false, ct);
            var repaired = 0;
            foreach (var head in heads)
            {
                var entry = indexed.GetValueOrDefault(head.Name);
                var live = !head.Deleted && !head.Purging;
                if (live == (entry is not null) && (!live || entry!.Revision == head.Revision)) continue;
                if (await catalog.ReindexAsync(head, ct)) repaired++;
            }
            // A new instance starts from this snapshot and the change log after it (docs/adr/0071-index-memory-and-snapshot.md).
            var snapshotBytes = await search.WriteSnapshotAsync(ct);
            return step(heads.Count, heads.LastOrDefault()?.Name, new() { ["checked"] = heads.Count, ["repaired"] = repaired, ["snapshotBytes"] = snapshotBytes });
        }, report: null, ct);

    /// <summary>
    /// The run protocol. <paramref name="work"/> does one bounded step from the run's cursor and says how
    /// many items it did; the run completes when a step does fewer than the bound.
    /// </summary>
    private async Task<JobOutcome> RunAsync(
        string job, Func<JobRun, Func<int, string?, Dictionary<string, int>, JobRun>, Task<JobRun>> work, string? report, CancellationToken ct)
    {
        if (!await jobs.TryAcquireLeaseAsync(job, _holder, clock.GetUtcNow(), TimeSpan.FromSeconds(options.LeaseSeconds), ct))
        {
            LogSkipped(logger, job);
            return new JobOutcome(job, "skipped", null);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            var run = await jobs.GetCheckpointAsync(job, ct) ?? new JobRun { Job = job, RunId = Guid.NewGuid().ToString("N"), StartedAt = clock.GetUtcNow() };
            LogStarted(logger, job, run.RunId, run.Cursor ?? "(start)");
            var next = await work(run, (done, cursor, counts) => run with
            {
                Cursor = cursor,
                Complete = done < options.MaxItemsPerRun,
                Counts = Add(run.Counts, counts),
            });

            next = next with { DurationMs = run.DurationMs + watch.ElapsedMilliseconds };
            if (!next.Complete)
            {
                await jobs.SaveCheckpointAsync(next, ct);
                LogPartial(logger, job, next.RunId, next.Cursor ?? string.Empty, watch.ElapsedMilliseconds);
                return new JobOutcome(job, "partial", next);
            }

            var previous = await jobs.GetLastAsync(job, ct);
            var finished = next with { FinishedAt = clock.GetUtcNow(), DurationMs = run.DurationMs + watch.ElapsedMilliseconds };
            await jobs.CompleteAsync(finished, ct);
            if (report is not null)
            {
                // Readers follow 'last' to the new run's lines; older lines go now (the previous run's stay
                // one more run for a reader that looked at 'last' just before the switch).
                await jobs.DeleteRowsOfOtherRunsAsync(report, previous is null ? [finished.RunId] : [finished.RunId, previous.RunId], ct);
            }
            LogFinished(logger, job, finished.RunId, string.Join(", ", finished.Counts.Select(c => $"{c.Key}={c.Value}")), watch.ElapsedMilliseconds);
            return new JobOutcome(job, "completed", finished);
        }
        finally
        {
            await jobs.ReleaseLeaseAsync(job, _holder, CancellationToken.None);
        }
    }

    private List<IndexEntry> NextEntries(IReadOnlyList<IndexEntry> entries, string? cursor) =>
        entries.Where(e => cursor is null || string.CompareOrdinal(e.Name, cursor) > 0).Take(options.MaxItemsPerRun).ToList();

    private static Dictionary<string, int> Add(Dictionary<string, int> a, Dictionary<string, int> b)
    {
        var sum = new Dictionary<string, int>(a, StringComparer.Ordinal);
        foreach (var (key, value) in b) sum[key] = sum.GetValueOrDefault(key) + value;
        return sum;
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Job {Job} run {RunId} started at {Cursor}")]
    private static partial void LogStarted(ILogger logger, string job, string runId, string cursor);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Job {Job} run {RunId} finished: {Counts} in {ElapsedMs} ms")]
    private static partial void LogFinished(ILogger logger, string job, string runId, string counts, long elapsedMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Job {Job} run {RunId} stopped at its bound after {Cursor} in {ElapsedMs} ms; the next run continues")]
    private static partial void LogPartial(ILogger logger, string job, string runId, string cursor, long elapsedMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Job {Job} skipped: another instance holds its lease")]
    private static partial void LogSkipped(ILogger logger, string job);
}
