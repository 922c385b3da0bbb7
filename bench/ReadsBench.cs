using System.Diagnostics;
using System.Net.Http.Headers;
using DevHost;
using DevHost.Tokens;

namespace Bench;

/// <summary>
/// <c>--reads</c>: the issue-19 rows alone, quicker than the whole benchmark on a busy machine. Seeds 10,000
/// generated ~12 KB documents straight into storage (the revision transaction a write commits, entry on the head),
/// then through the dev host: idle CPU, by-name GET with a random key at 1, 16 and 64 clients, RSS, search coverage.
/// </summary>
internal static class ReadsBench
{
    public static async Task<int> RunAsync(string configuration, Report report, Action<string> progress, int size = 10_000)
    {
        progress("Starting Azurite");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        progress($"Seeding {size:N0} documents directly");
        var bytes = await SeedAsync(azurite.ConnectionString, size, i => Synthetic.Markdown(i, size));
        var template = new ComponentCatalog.Markdown.MarkdownTemplate();
        var entryBytes = ComponentCatalog.Storage.IndexStore.EncodeEntry(ComponentCatalog.Search.IndexEntry.From(
            template.Parse(Synthetic.Markdown(1, size)).Document)).Length;
        report.Add("documents", $"generated Markdown, mean size — stored index entry of one: {entryBytes:N0} bytes gzip'd", bytes / (double)size / 1024, "KB");

        var storage = new Dictionary<string, string> { ["CatalogStorage"] = azurite.ConnectionString, ["RateLimit__PermitsPerMinute"] = "1000000" };
        // A long request timeout: the first search loads the whole index, slow on a machine shared with builds.
        await using var host = await DevHostProcess.StartAsync(configuration, storage, TimeSpan.FromSeconds(600));
        var http = host.Client;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"], Teams = [.. Synthetic.Teams], Subject = "bench" }));
        async Task<bool> Ok(string path)
        {
            using var response = await http.GetAsync(path);
            await response.Content.CopyToAsync(Stream.Null);
            return response.IsSuccessStatusCode;
        }

        progress("Index load, then idle CPU");
        var load = Stopwatch.StartNew();
        if (!await Ok("api/components?limit=1")) report.Failures.Add("first search failed");
        report.Add("cold start", $"first search: index load of {size:N0} entries (every word)", load.Elapsed.TotalMilliseconds, "ms");
        report.Add("memory", $"worker RSS, {size:N0} documents indexed, nothing cached", host.WorkerRssMiB() ?? double.NaN, "MiB");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var pids = new[] { host.ProcessId, azurite.ProcessId };
        var before = Measure.CpuSeconds(pids);
        var idle = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        report.Add("idle", "CPU of dev host + worker + Azurite over 10 s, no requests", (Measure.CpuSeconds(pids) - before) / idle.Elapsed.TotalSeconds * 100, "%", target: 1);

        progress("GET by name: warm-up (each document once), then 1, 16, 64 clients");
        var samples = new System.Collections.Concurrent.ConcurrentBag<double>();
        var coldErrors = 0;
        var warm = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (k, _) =>
        {
            var start = Stopwatch.GetTimestamp();
            if (!await Ok($"api/components/{Synthetic.Name(k)}")) Interlocked.Increment(ref coldErrors);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        });
        var coldLatency = Latency.From([.. samples], coldErrors);
        report.Add("GET by name", $"first read of each of {size:N0} (from storage), 16 clients: p50", coldLatency.P50, "ms",
            extra: $"p99 {coldLatency.P99:0.0} ms, {size / warm.Elapsed.TotalSeconds:0} req/s, errors {coldLatency.Errors}");
        var one = await Measure.SequentialAsync(3000, _ => Ok($"api/components/{Synthetic.Name(Random.Shared.Next(size))}"), warmup: 100);
        report.Add("GET by name", $"random key over {size:N0}, 1 client: p50", one.P50, "ms", target: 1.2, extra: $"p99 {one.P99:0.0} ms, errors {one.Errors}");
        if (one.Errors > 0) report.Failures.Add($"GET by name, 1 client: {one.Errors} errors");
        foreach (var clients in new[] { 16, 64 })
        {
            var (latency, perSecond) = await Measure.ConcurrentAsync(clients, TimeSpan.FromSeconds(10),
                (_, _) => Ok($"api/components/{Synthetic.Name(Random.Shared.Next(size))}"));
            report.Add("GET by name", $"random key over {size:N0}, {clients} clients: req/s", perSecond, "req/s", target: clients == 16 ? 1000 : null, higherIsBetter: true,
                extra: $"p50 {latency.P50:0.0} ms, p99 {latency.P99:0.0} ms, errors {latency.Errors}");
            if (latency.Errors > 0) report.Failures.Add($"GET by name, {clients} clients: {latency.Errors} errors");
        }
        report.Add("memory", $"worker RSS, {size:N0} documents indexed and cached", host.WorkerRssMiB() ?? double.NaN, "MiB");

        progress("Search coverage");
        var sample = Enumerable.Range(0, 200).Select(k => k * 7919 % size).ToArray();
        var found = 0;
        foreach (var i in sample)
        {
            using var response = await http.GetAsync($"api/components?q={Synthetic.Marker(i)}&limit=5");
            if ((await response.Content.ReadAsStringAsync()).Contains(Synthetic.Name(i), StringComparison.Ordinal)) found++;
        }
        report.Add("search coverage", $"a word once, mid-document, in Performance Considerations: found (of {sample.Length})", found, "docs", target: sample.Length, higherIsBetter: true);
        if (found < sample.Length) report.Failures.Add($"search coverage: {found} of {sample.Length}");
        var prefix = await Measure.SequentialAsync(200, _ => Ok($"api/components?q={Synthetic.Word(11)[..4]}"), warmup: 20);
        var typo = await Measure.SequentialAsync(200, _ => Ok($"api/components?q=x{Synthetic.Word(12)}"), warmup: 20);
        report.Add("search", "last word as a prefix (4 letters)", prefix.P50, "ms", extra: $"p95 {prefix.P95:0.0} ms");
        report.Add("search", "one typo (a letter added)", typo.P50, "ms", extra: $"p95 {typo.P95:0.0} ms");
        return report.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Writes documents 0 … <paramref name="count"/> − 1 straight into storage as revision 1 (the revision transaction
    /// a write commits, index entry on the head); returns the Markdown bytes written.
    /// </summary>
    public static async Task<long> SeedAsync(string connectionString, int count, Func<int, string> markdownOf)
    {
        var options = new ComponentCatalog.Storage.CatalogStorageOptions { ConnectionString = connectionString, OperationTimeout = TimeSpan.FromSeconds(120) };
        var store = new ComponentCatalog.Storage.ComponentStore(new ComponentCatalog.Storage.CatalogTables(ComponentCatalog.Storage.StorageSetup.CreateServiceClient(options), options));
        var template = new ComponentCatalog.Markdown.MarkdownTemplate();
        var now = DateTimeOffset.UtcNow;
        var bytes = 0L;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var markdown = markdownOf(i);
            Interlocked.Add(ref bytes, markdown.Length);
            var document = template.Parse(markdown).Document with { Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "bench" };
            var score = ComponentCatalog.Quality.QualityRules.Evaluate(document, _ => true, now.AddDays(-180)).Score;
            var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, ComponentCatalog.Model.CatalogJson.Options);
            var write = new ComponentCatalog.Storage.RevisionWrite(document.Name!, 1, json, $"seed{i}", now, now, "bench", document.Title, document.Owner,
                ComponentCatalog.Search.IndexEntry.From(document, score), Guid.NewGuid().ToString("N"));
            await store.WriteRevisionAsync(write, expected: null, ct);
        });
        return bytes;
    }
}
