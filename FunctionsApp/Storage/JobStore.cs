using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ComponentCatalog.Model;

namespace ComponentCatalog.Storage;

/// <summary>A maintenance run: when, how far it got, what it counted.</summary>
internal sealed record JobRun
{
    public required string Job { get; init; }
    public required string RunId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long DurationMs { get; init; }
    public bool Complete { get; init; }

    /// <summary>The last item done, so a crashed or bounded run continues after it.</summary>
    public string? Cursor { get; init; }

    public Dictionary<string, int> Counts { get; init; } = [];
}

/// <summary>One line of a report: its key and its JSON data.</summary>
internal sealed record ReportRow(string Key, string RunId, JsonElement Data);

/// <summary>
/// The maintenance jobs' state in table <c>Jobs</c> (PK = job: <c>lease</c>, <c>checkpoint</c>, <c>last</c>)
/// and their findings in <c>Reports</c> (PK = report, RK = item). The lease is an ETag-guarded row with
/// an expiry, so two instances firing at once run the job once.
/// </summary>
internal sealed class JobStore(CatalogTables tables)
{
    public async Task<bool> TryAcquireLeaseAsync(string job, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken ct = default)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = new TableEntity(job, "lease") { ["Holder"] = holder, ["ExpiresAt"] = now + duration };
        var current = await StorageErrors.GuardAsync(() => tables.Jobs.GetEntityIfExistsAsync<TableEntity>(job, "lease", cancellationToken: ct), ct);
        try
        {
            if (!current.HasValue)
            {
                await StorageErrors.GuardAsync(() => tables.Jobs.AddEntityAsync(row, ct), ct);
                return true;
            }
            var lease = current.Value!;
            if (lease.GetString("Holder") != holder && lease.GetDateTimeOffset("ExpiresAt") > now)
            {
                return false;
            }
            await StorageErrors.GuardAsync(() => tables.Jobs.UpdateEntityAsync(row, lease.ETag, TableUpdateMode.Replace, ct), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task ReleaseLeaseAsync(string job, string holder, CancellationToken ct = default)
    {
        var current = await StorageErrors.GuardAsync(() => tables.Jobs.GetEntityIfExistsAsync<TableEntity>(job, "lease", cancellationToken: ct), ct);
        if (current.HasValue && current.Value!.GetString("Holder") == holder)
        {
            try
            {
                await StorageErrors.GuardAsync(() => tables.Jobs.DeleteEntityAsync(job, "lease", current.Value.ETag, ct), ct);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Expired and taken over meanwhile: not ours to delete.
            }
        }
    }

    public Task<JobRun?> GetCheckpointAsync(string job, CancellationToken ct = default) => ReadRunAsync(job, "checkpoint", ct);

    public Task<JobRun?> GetLastAsync(string job, CancellationToken ct = default) => ReadRunAsync(job, "last", ct);

    public Task SaveCheckpointAsync(JobRun run, CancellationToken ct = default) => WriteRunAsync(run, "checkpoint", ct);

    public async Task CompleteAsync(JobRun run, CancellationToken ct = default)
    {
        await WriteRunAsync(run, "last", ct);
        try
        {
            await StorageErrors.GuardAsync(() => tables.Jobs.DeleteEntityAsync(run.Job, "checkpoint", ETag.All, ct), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// Writes report lines of one run in transactions of 100 (one partition each). A run's lines are keyed
    /// <c>{runId}.{key}</c>: readers see only the lines of the run that <c>last</c> names, so a run in
    /// progress (or one that failed) is never mixed into the report.
    /// </summary>
    public Task WriteRunRowsAsync(string report, string runId, IEnumerable<(string Key, object Data)> rows, CancellationToken ct = default) =>
        UpsertRowsAsync(report, runId, rows.Select(r => (RunKey(runId, r.Key), r.Data)), ct);

    /// <summary>Writes lines of a report that grows across runs (one line per day, say), keyed by their own key.</summary>
    public Task WriteSeriesRowsAsync(string report, string runId, IEnumerable<(string Key, object Data)> rows, CancellationToken ct = default) =>
        UpsertRowsAsync(report, runId, rows, ct);

    /// <summary>
    /// The last completed run of <paramref name="job"/> and exactly the lines it wrote to <paramref name="report"/>.
    /// </summary>
    public async Task<(JobRun? Last, List<ReportRow> Items)> ReadLastRunReportAsync(string job, string report, CancellationToken ct = default)
    {
        var last = await GetLastAsync(job, ct);
        if (last is null)
        {
            return (null, []);
        }
        var prefix = last.RunId + ".";
        var rows = await ReadRowsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {report} and RowKey gt {prefix} and RowKey lt {last.RunId + "/"}"), ct);
        return (last, [.. rows.Select(r => r with { Key = r.Key[prefix.Length..] })]);
    }

    /// <summary>Every line of a report that grows across runs.</summary>
    public Task<List<ReportRow>> ReadSeriesAsync(string report, CancellationToken ct = default) =>
        ReadRowsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {report}"), ct);

    /// <summary>
    /// After a run completed: removes the lines of every run but <paramref name="keep"/> (the new run, and the
    /// previous one, which a reader that read <c>last</c> a moment before the switch may still be reading).
    /// </summary>
    public async Task DeleteRowsOfOtherRunsAsync(string report, IReadOnlyCollection<string> keep, CancellationToken ct = default)
    {
        var old = (await ReadSeriesAsync(report, ct)).Where(r => !keep.Contains(r.RunId)).ToList();
        foreach (var batch in old.Chunk(100))
        {
            var actions = batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(report, r.Key), ETag.All)).ToList();
            await StorageErrors.GuardAsync(() => tables.Reports.SubmitTransactionAsync(actions, ct), ct);
        }
    }

    private async Task UpsertRowsAsync(string report, string runId, IEnumerable<(string Key, object Data)> rows, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct);
        foreach (var batch in rows.Chunk(100))
        {
            var actions = batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(report, r.Key)
            {
                ["RunId"] = runId,
                ["Data"] = JsonSerializer.Serialize(r.Data, CatalogJson.Options),
            })).ToList();
            await StorageErrors.GuardAsync(() => tables.Reports.SubmitTransactionAsync(actions, ct), ct);
        }
    }

    private async Task<List<ReportRow>> ReadRowsAsync(string filter, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct);
        var rows = new List<ReportRow>();
        await StorageErrors.GuardAsync(async () =>
        {
            await foreach (var row in tables.Reports.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                rows.Add(new ReportRow(row.RowKey, row.GetString("RunId") ?? string.Empty,
                    JsonSerializer.Deserialize<JsonElement>(row.GetString("Data") ?? "null")));
            }
            return true;
        }, ct);
        return [.. rows.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    private static string RunKey(string runId, string key) => runId + "." + key;

    private async Task<JobRun?> ReadRunAsync(string job, string key, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = await StorageErrors.GuardAsync(() => tables.Jobs.GetEntityIfExistsAsync<TableEntity>(job, key, cancellationToken: ct), ct);
        return row.HasValue ? JsonSerializer.Deserialize<JobRun>(row.Value!.GetString("Run") ?? "null", CatalogJson.Options) : null;
    }

    private async Task WriteRunAsync(JobRun run, string key, CancellationToken ct)
    {
        await tables.EnsureCreatedAsync(ct);
        var row = new TableEntity(run.Job, key) { ["Run"] = JsonSerializer.Serialize(run, CatalogJson.Options) };
        await StorageErrors.GuardAsync(() => tables.Jobs.UpsertEntityAsync(row, TableUpdateMode.Replace, ct), ct);
    }
}
