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
    public static async Task<int> RunAsync(string configuration, Report report, Action<string> progress, int size = 10_000, int ingest = 2_000)
    {
        progress("Starting Azurite");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        progress($"Seeding {size:N0} documents directly");
        var (_, bytes) = await SeedAsync(azurite.ConnectionString, size, i => Synthetic.Markdown(i, size), progress: progress);
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
        report.Add("cold start", $"first search: index load of {size:N0} entries (every word), started with the worker", load.Elapsed.TotalMilliseconds, "ms",
            extra: $"the worker: {Measure.LogMessage(host, "Search index loaded") ?? "no load logged"}");
        report.Add("memory", $"worker RSS, {size:N0} documents indexed, nothing cached", host.WorkerRssMiB() ?? double.NaN, "MiB");
        await IdleAsync(report, host, azurite, "5–15 s after the first search (index loaded)");

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
        var gzipBytes = 0L;
        var one = await Measure.SequentialAsync(3000, _ => Ok($"api/components/{Synthetic.Name(Random.Shared.Next(size))}"), warmup: 100);
        report.Add("GET by name", $"random key over {size:N0}, 1 client: p50", one.P50, "ms", target: 1.2, extra: $"p99 {one.P99:0.0} ms, errors {one.Errors}");
        if (one.Errors > 0) report.Failures.Add($"GET by name, 1 client: {one.Errors} errors");
        var gzip = await Measure.SequentialAsync(3000, async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/components/{Synthetic.Name(Random.Shared.Next(size))}");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            using var response = await http.SendAsync(request);
            var length = (await response.Content.ReadAsByteArrayAsync()).Length;
            Interlocked.Add(ref gzipBytes, length);
            return response.IsSuccessStatusCode && response.Content.Headers.ContentEncoding.Contains("gzip");
        }, warmup: 100);
        report.Add("GET by name", $"random key over {size:N0}, 1 client, Accept-Encoding: gzip (stored form sent as is): p50", gzip.P50, "ms", target: 1.2,
            extra: $"p99 {gzip.P99:0.0} ms, {gzipBytes / 3100.0 / 1024:0.0} KB a body, errors {gzip.Errors}");
        if (gzip.Errors > 0) report.Failures.Add($"GET by name gzip'd, 1 client: {gzip.Errors} errors");
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

        if (ingest > 0)
        {
            progress($"Ingest: {ingest:N0} more documents through POST /api/import (batches of 500)");
            var watch = Stopwatch.StartNew();
            for (var start = size; start < size + ingest; start += 500)
            {
                var documents = Enumerable.Range(start, Math.Min(500, size + ingest - start))
                    .Select(i => new { path = $"docs/{i}.md", markdown = Synthetic.Markdown(i, size + ingest) });
                using var response = await http.PostAsync("api/import", new StringContent(
                    System.Text.Json.JsonSerializer.Serialize(new { documents }), System.Text.Encoding.UTF8, "application/json"));
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || !body.Contains("\"created\"", StringComparison.Ordinal) || body.Contains("\"invalid\"", StringComparison.Ordinal))
                {
                    report.Failures.Add($"import failed: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
                    break;
                }
            }
            var perSecond = ingest / watch.Elapsed.TotalSeconds;
            var visible = await Ok($"api/components/{Synthetic.Name(size + ingest - 1)}") && await Ok($"api/components?q={Synthetic.Marker(size + ingest - 1)}");
            if (!visible) report.Failures.Add("ingest: the last imported document is not readable and searchable");
            report.Add("ingest", $"{ingest:N0} documents of ~12 KB through POST /api/import into a catalog of {size:N0}, all visible", perSecond, "docs/s",
                target: 135, higherIsBetter: true);
            await IdleAsync(report, host, azurite, "5–15 s after the import");
        }
        return report.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>CPU with no requests from 5 to 15 s after <paramref name="after"/>: the total and each process.</summary>
    private static async Task IdleAsync(Report report, DevHostProcess host, AzuriteProcess azurite, string after)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = IdleBench.CpuSeconds(host, azurite);
        var idle = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after2 = IdleBench.CpuSeconds(host, azurite);
        double Percent(double from, double to) => (to - from) / idle.Elapsed.TotalSeconds * 100;
        var (h, w, a) = (Percent(before.Host, after2.Host), Percent(before.Worker, after2.Worker), Percent(before.Azurite, after2.Azurite));
        report.Add("idle", $"CPU of dev host + worker + Azurite, {after}, no requests", h + w + a, "%", target: 1,
            extra: $"host {h:0.0} %, worker {w:0.0} %, Azurite {a:0.0} %");
    }

    /// <summary>
    /// Writes documents <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 straight into
    /// storage as revision 1 (the revision transaction a write commits, index entry on the head): the one seeding loop of
    /// every benchmark mode. Returns the tables and the Markdown bytes written.
    /// </summary>
    public static async Task<(ComponentCatalog.Storage.CatalogTables Tables, long Bytes)> SeedAsync(
        string connectionString, int count, Func<int, string> markdownOf, int first = 0, int parallelism = 8, Action<string>? progress = null)
    {
        var options = new ComponentCatalog.Storage.CatalogStorageOptions { ConnectionString = connectionString, OperationTimeout = TimeSpan.FromSeconds(120) };
        var tables = new ComponentCatalog.Storage.CatalogTables(ComponentCatalog.Storage.StorageSetup.CreateServiceClient(options), options);
        var store = new ComponentCatalog.Storage.ComponentStore(tables);
        var template = new ComponentCatalog.Markdown.MarkdownTemplate();
        var now = DateTimeOffset.UtcNow;
        var bytes = 0L;
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var markdown = markdownOf(i);
            Interlocked.Add(ref bytes, markdown.Length);
            var document = template.Parse(markdown).Document with { Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "bench" };
            var score = ComponentCatalog.Quality.QualityRules.Evaluate(document, _ => true, now.AddDays(-180)).Score;
            var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, ComponentCatalog.Model.CatalogJson.Options);
            var write = new ComponentCatalog.Storage.RevisionWrite(document.Name!, 1, json, $"seed{i}", now, now, "bench", document.Title, document.Owner,
                ComponentCatalog.Search.IndexEntry.From(document, score), Guid.NewGuid().ToString("N"));
            await store.WriteRevisionAsync(write, expected: null, ct);
            if (progress is not null && Interlocked.Increment(ref done) % 2000 == 0) progress($"  seeded {done:N0}/{count:N0}");
        });
        return (tables, bytes);
    }
}
