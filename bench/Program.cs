using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bench;
using DevHost;
using DevHost.Tokens;

// dotnet run -c Release --project bench -- [--quick | --full | --reads [--size N] [--ingest N] | --events [count] | --web
//   | --index-load N | --index-memory N [--azurite [--devhost]] [--codecs] [--pool N] | --lucene N [--only ours|lucene] [--pool N]
//   | --idle N | --azurite-scaling]
var quick = !args.Contains("--full");
var configuration = typeof(Report).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
    .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
var report = new Report(quick ? "quick" : "full", configuration);
var total = Stopwatch.StartNew();
void Progress(string step) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {step}");
if (args.Contains("--web"))
{
    var webReport = new Report("web", configuration);
    var code = await WebBench.RunAsync(configuration, webReport, Progress, args.Contains("--full") ? 10_000 : 500);
    webReport.Print(total.Elapsed);
    await webReport.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", "web.json"));
    return code;
}
if (args.Contains("--index-load"))
{
    var indexReport = new Report("index-load", configuration);
    await IndexBench.RunLoadAsync(indexReport, Progress, IndexBench.Size(args, "--index-load", 10_000));
    indexReport.Print(total.Elapsed);
    return 0;
}
if (args.Contains("--index-memory"))
{
    var indexReport = new Report("index-memory", configuration);
    var memorySize = IndexBench.Size(args, "--index-memory", 10_000);
    AzuriteProcess? snapshotStorage = args.Contains("--azurite") ? await AzuriteProcess.StartAsync(dataDirectory: null) : null;
    await IndexBench.RunMemoryAsync(indexReport, Progress, memorySize, snapshotStorage?.ConnectionString, args.Contains("--codecs"),
        args.Contains("--devhost") ? configuration : null, IndexBench.Size(args, "--pool", 1_000));
    if (snapshotStorage is not null) await snapshotStorage.DisposeAsync();
    indexReport.Print(total.Elapsed);
    await indexReport.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", $"index-memory-{memorySize}.json"));
    return 0;
}
if (args.Contains("--lucene"))
{
    var luceneReport = new Report("lucene", configuration);
    var luceneSize = IndexBench.Size(args, "--lucene", 10_000);
    var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
    await LuceneBench.RunAsync(luceneReport, Progress, luceneSize, only, IndexBench.Size(args, "--pool", 1_000));
    luceneReport.Print(total.Elapsed);
    await luceneReport.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", $"lucene-{luceneSize}{(only is null ? "" : "-" + only)}{(args.Contains("--pool") ? "-pool" : "")}.json"));
    return 0;
}
if (args.Contains("--azurite-scaling"))
{
    var scalingReport = new Report("azurite-scaling", configuration);
    await AzuriteScalingBench.RunAsync(scalingReport, Progress, [1_000, 5_000, 10_000, 20_000]);
    scalingReport.Print(total.Elapsed);
    return 0;
}
if (args.Contains("--idle"))
{
    var idleReport = new Report("idle", configuration);
    var code = await IdleBench.RunAsync(configuration, idleReport, Progress, IndexBench.Size(args, "--idle", 10_000));
    idleReport.Print(total.Elapsed);
    return code;
}
if (args.Contains("--reads"))
{
    var readsReport = new Report("reads", configuration);
    int Option(string name, int fallback) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    var code = await ReadsBench.RunAsync(configuration, readsReport, Progress, size: Option("--size", 10_000), ingest: Option("--ingest", 2_000));
    readsReport.Print(total.Elapsed);
    await readsReport.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", "reads.json"));
    return code;
}

if (args.Contains("--events"))
{
    var at = Array.IndexOf(args, "--events");
    var count = at + 1 < args.Length && int.TryParse(args[at + 1], out var requested) ? requested : 100;
    var eventsReport = new Report("events", configuration);
    var code = await EventsBench.RunAsync(configuration, eventsReport, Progress, count);
    eventsReport.Print(total.Elapsed);
    await eventsReport.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", "events.json"));
    return code;
}

// 1. In process (BenchmarkDotNet): Markdown parse + render of a 50 KB document vs Markdig's parse.
Progress("Markdown parse + render (BenchmarkDotNet, in process)");
var job = Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(quick ? 5 : 15).WithInvocationCount(quick ? 16 : 64).WithUnrollFactor(1);
var summary = BenchmarkRunner.Run<MarkdownBenchmarks>(ManualConfig.CreateEmpty().AddJob(job).AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
    .AddLogger(BenchmarkDotNet.Loggers.NullLogger.Instance).WithOptions(ConfigOptions.DisableOptimizationsValidator));
double MedianMs(string method) => summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median / 1e6;
var parseRender = MedianMs(nameof(MarkdownBenchmarks.ParseAndRender));
var markdig = MedianMs(nameof(MarkdownBenchmarks.MarkdigParse));
report.Add("markdown", $"parse+render {MarkdownBenchmarks.Bytes / 1024} KB doc", parseRender, "ms", floor: markdig, floorName: "Markdig parse", extra: $"{1000 / parseRender:0} docs/s");

// 2. Storage the app and the floors share.
Progress("Starting Azurite and the dev hosts");
await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
// The load client is one principal: lift the per-principal rate limit to its validated maximum.
var storage = new Dictionary<string, string> { ["CatalogStorage"] = azurite.ConnectionString, ["RateLimit__PermitsPerMinute"] = "1000000" };
if (!quick)
{
    // Azurite slows down per write as its in-memory tables grow, so the documents past the first 10,000 are
    // seeded straight into storage (the same revision transaction a write commits, entry on the head).
    Progress("Seeding 90,000 documents directly (full mode)");
    await ReadsBench.SeedAsync(azurite.ConnectionString, 90_000, i => Synthetic.Markdown(i, 100_000), first: 10_000, parallelism: 16, progress: Progress);
}
var coldStart = Stopwatch.StartNew();
await using var host = await DevHostProcess.StartAsync(configuration, storage, TimeSpan.FromSeconds(60));
report.Add("cold start", "dev host process start → first 200", host.FirstOkMs, "ms", target: 1500);
report.Add("cold start", "worker start → functions loaded", host.FunctionsLoadedMs - host.WorkerStartedMs, "ms");
await using var uncachedHost = await DevHostProcess.StartAsync(configuration, new Dictionary<string, string>(storage) { ["Catalog__CacheSeconds"] = "0" }, TimeSpan.FromSeconds(60));

var token = DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"], Teams = [.. Synthetic.Teams], Subject = "bench" });
foreach (var client in new[] { host.Client, uncachedHost.Client })
{
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
var http = host.Client;

// 3. Import: 500, then up to the catalog size of this mode.
var size = quick ? 10_000 : 100_000;
var imported = Math.Min(size, 10_000);
Progress($"Importing {imported:N0} documents");
async Task<double> ImportAsync(int from, int count)
{
    var watch = Stopwatch.StartNew();
    for (var start = from; start < from + count; start += 500)
    {
        var documents = Enumerable.Range(start, Math.Min(500, from + count - start)).Select(i => new { path = $"docs/{i}.md", markdown = Synthetic.Markdown(i, size) });
        using var response = await http.PostAsync("api/import", new StringContent(JsonSerializer.Serialize(new { documents }), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"invalid\"", StringComparison.Ordinal) || body.Contains("\"forbidden\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"import failed: {(int)response.StatusCode} {body[..Math.Min(400, body.Length)]}");
        }
        if ((start - from + 500) % 2500 == 0) Progress($"  imported {start - from + 500:N0}/{count:N0}");
    }
    return count / watch.Elapsed.TotalSeconds;
}
{
    var loadWatch = Stopwatch.StartNew();
    using var first = await http.GetAsync("api/components?limit=1");
    first.EnsureSuccessStatusCode();
    report.Add("cold start", $"first search: index load of {(quick ? 0 : 90_000):N0} summaries", loadWatch.Elapsed.TotalMilliseconds, "ms");
}
var import500 = await ImportAsync(0, 500);
report.Add("import", "500 documents", import500, "docs/s", target: 250, higherIsBetter: true);
var importRest = await ImportAsync(500, imported - 500);
report.Add("import", $"{imported - 500:N0} more documents (catalog growing to {imported:N0})", importRest, "docs/s", target: 250, higherIsBetter: true, extra: $"worker RSS {host.WorkerRssMiB():0} MiB");

// 3b. Idle: CPU of the dev host (worker included) and Azurite from 5 to 15 s after the import, no requests.
{
    await Task.Delay(TimeSpan.FromSeconds(5));
    var pids = new[] { host.ProcessId, azurite.ProcessId };
    var before = Measure.CpuSeconds(pids);
    var idleWatch = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(10));
    var idleCpu = (Measure.CpuSeconds(pids) - before) / idleWatch.Elapsed.TotalSeconds * 100;
    report.Add("idle", "CPU of dev host + worker + Azurite, 5–15 s after the import, no requests", idleCpu, "%", target: 1);
}

// 3c. GET by name with a random key over every imported document (warm: each read once first), 1 and 16 clients.
{
    Progress($"GET by name, random key over {imported:N0} documents");
    var warm = Enumerable.Range(0, imported).ToArray();
    await Parallel.ForEachAsync(warm, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await Ok(http, $"api/components/{Synthetic.Name(i)}"));
    var one = await Measure.SequentialAsync(quick ? 3000 : 10000, _ => Ok(http, $"api/components/{Synthetic.Name(Random.Shared.Next(imported))}"), warmup: 100);
    report.Add("GET by name", $"random key over {imported:N0}, 1 client: p50", one.P50, "ms", target: 1.2, extra: $"p99 {one.P99:0.0} ms, errors {one.Errors}");
    if (one.Errors > 0) report.Failures.Add($"GET by name, 1 client: {one.Errors} errors");
    foreach (var clients in new[] { 16, 64 })
    {
        var (latency, perSecond) = await Measure.ConcurrentAsync(clients, TimeSpan.FromSeconds(quick ? 10 : 30),
            (_, _) => Ok(http, $"api/components/{Synthetic.Name(Random.Shared.Next(imported))}"));
        report.Add("GET by name", $"random key over {imported:N0}, {clients} clients: req/s", perSecond, "req/s", target: clients == 16 ? 1000 : null, higherIsBetter: true,
            extra: $"p50 {latency.P50:0.0} ms, p99 {latency.P99:0.0} ms, errors {latency.Errors}");
        if (latency.Errors > 0) report.Failures.Add($"GET by name, {clients} clients: {latency.Errors} errors");
    }
    report.Add("memory", $"worker RSS after reading all {imported:N0} documents (cache full)", host.WorkerRssMiB() ?? double.NaN, "MiB");

    var sample = Enumerable.Range(0, 200).Select(k => (k * 7919) % imported).ToArray();
    var found = 0;
    foreach (var i in sample)
    {
        using var response = await http.GetAsync($"api/components?q={Synthetic.Marker(i)}&limit=5");
        if ((await response.Content.ReadAsStringAsync()).Contains(Synthetic.Name(i), StringComparison.Ordinal)) found++;
    }
    report.Add("search coverage", "a word appearing once, mid-document, in Performance Considerations: found", found, $"of {sample.Length}", target: sample.Length, higherIsBetter: true);
    if (found < sample.Length) report.Failures.Add($"search coverage: {found} of {sample.Length}");
}

// 4. GET of a document: cached, uncached, and the floors.
Progress("GET latency and floors");
var name = Synthetic.Name(1);
var table = new TableClient(azurite.ConnectionString, "Components");
async Task<bool> Ok(HttpClient client, string path)
{
    using var response = await client.GetAsync(path);
    await response.Content.CopyToAsync(Stream.Null);
    return response.IsSuccessStatusCode;
}
var n = quick ? 300 : 2000;
var hostOnly = await Measure.SequentialAsync(n, _ => Ok(http, "admin/host/status"));
var noop = await Measure.SequentialAsync(n, _ => Ok(http, "api/ping"));
var cached = await Measure.SequentialAsync(n, _ => Ok(http, $"api/components/{name}"));
var uncached = await Measure.SequentialAsync(n, _ => Ok(uncachedHost.Client, $"api/components/{name}"));
var raw = await Measure.SequentialAsync(n, async _ => (await table.GetEntityAsync<TableEntity>(name, "head")).Value is not null);
foreach (var (label, latency) in new[] { ("host only", hostOnly), ("no-op", noop), ("cached GET", cached), ("uncached GET", uncached), ("raw read", raw) })
{
    if (latency.Errors > 0) report.Failures.Add($"{label}: {latency.Errors} errors");
}
report.Add("GET", "dev host alone, no worker (GET /admin/host/status)", hostOnly.P50, "ms");
report.Add("GET", "no-op function through the dev host (floor)", noop.P50, "ms", extra: $"host hop adds {noop.P50 - hostOnly.P50:0.00} ms");
report.Add("GET", "raw Azure.Data.Tables point read (floor)", raw.P50, "ms");
report.Add("GET", "document, cached", cached.P50, "ms", floor: noop.P50, floorName: "no-op function", target: 1.2, targetIsRatio: true);
report.Add("GET", "document, uncached", uncached.P50, "ms", floor: raw.P50 + noop.P50, floorName: "raw read + no-op", target: 1.5, targetIsRatio: true);

// The website: the same data as a page, as a ratio to the JSON call (same host, same token, index loaded).
Progress("web pages");
await WebBench.AddRowsAsync(http, name, "cache", n, report);

// 5. PUT of a revision vs a raw transaction of the same rows.
Progress("PUT latency and floor");
var putName = Synthetic.Name(2);
var markdown = Synthetic.Markdown(2, size);
var etag = "*";
var put = await Measure.SequentialAsync(quick ? 100 : 500, async i =>
{
    using var request = new HttpRequestMessage(HttpMethod.Put, $"api/components/{putName}")
    {
        Content = new StringContent(markdown.Replace("Known Issues: none", $"Known Issues: run {i}", StringComparison.Ordinal), Encoding.UTF8, "text/markdown"),
    };
    request.Headers.TryAddWithoutValidation("If-Match", etag);
    using var response = await http.SendAsync(request);
    etag = response.Headers.ETag?.ToString() ?? "*";
    return response.StatusCode == HttpStatusCode.OK;
}, warmup: 5);
await table.UpsertEntityAsync(new TableEntity("raw-bench", "head") { ["Revision"] = 0 });
var payload = new byte[4096];
Random.Shared.NextBytes(payload);
var rawRevision = 0;
var rawPut = await Measure.SequentialAsync(quick ? 100 : 500, async _ =>
{
    var head = (await table.GetEntityAsync<TableEntity>("raw-bench", "head")).Value;
    rawRevision++;
    var actions = new List<TableTransactionAction>
    {
        new(TableTransactionActionType.Add, new TableEntity("raw-bench", $"r{rawRevision:D10}") { ["D0"] = payload, ["Kind"] = "revision" }),
        new(TableTransactionActionType.UpdateReplace, new TableEntity("raw-bench", "head") { ["Revision"] = rawRevision }, head.ETag),
    };
    await table.SubmitTransactionAsync(actions);
    return true;
}, warmup: 5);
if (put.Errors > 0) report.Failures.Add($"PUT: {put.Errors} errors");
report.Add("PUT", "raw read + transaction of the same rows (floor)", rawPut.P50, "ms");
report.Add("PUT", "revision through the dev host", put.P50, "ms", floor: rawPut.P50 + noop.P50, floorName: "raw tx + no-op");

// 6. Search and facets.
Progress("Search and facets");
var queries = new (string Label, string Path, double? Target)[]
{
    ("filtered: owner (limit 50)", $"api/components?owner={Synthetic.Teams[3]}", 20),
    ("filtered: owner + tag + lifecycle", $"api/components?owner={Synthetic.Teams[3]}&tag={Synthetic.Tags[3]}&lifecycle=production", 20),
    ("full text: one word", $"api/components?q={Synthetic.Word(11)}", 20),
    ("full text: two words", $"api/components?q={Synthetic.Word(11)}+{Synthetic.Word(12)}", 20),
    ("facets: tag", "api/facets?field=tag", 20),
    ("transitive dependents (the whole chain)", $"api/components/{Synthetic.Name(5)}/dependents?transitive=true", null),
};
foreach (var (label, path, target) in queries)
{
    // The transitive dependents of the synthetic chain are the whole catalog: a large answer, fewer samples.
    var samples = target is null ? 30 : quick ? 200 : 1000;
    var latency = await Measure.SequentialAsync(samples, _ => Ok(http, path), warmup: target is null ? 3 : 30);
    if (latency.Errors > 0) report.Failures.Add($"{label}: {latency.Errors} errors");
    report.Add($"search @ {size / 1000}k", label, latency.P50, "ms", target: target, extra: $"p95 {latency.P95:0.0} ms");
}

{
    var searchPaths = queries.Where(q => q.Target is not null).Select(q => q.Path).ToArray();
    var (latency, perSecond) = await Measure.ConcurrentAsync(16, TimeSpan.FromSeconds(quick ? 5 : 20), (client, i) => Ok(http, searchPaths[(client + i) % searchPaths.Length]));
    report.Add($"search @ {size / 1000}k", "16 concurrent clients: p99", latency.P99, "ms", target: 100, extra: $"p50 {latency.P50:0.0} ms, {perSecond:0} req/s, errors {latency.Errors}");
    if (latency.Errors > 0) report.Failures.Add($"concurrent search: {latency.Errors} errors");
}

// 7. Mixed read/write workload at concurrency 1 and 16.
Progress("Mixed workload");
foreach (var clients in new[] { 1, 16 })
{
    var (latency, perSecond) = await Measure.ConcurrentAsync(clients, TimeSpan.FromSeconds(quick ? 6 : 30), async (client, i) =>
    {
        var pick = (client * 7919 + i * 104729) % 10;
        if (pick < 8) return await Ok(http, $"api/components/{Synthetic.Name((client * 131 + i * 17) % imported)}");
        if (pick < 9) return await Ok(http, $"api/components?owner={Synthetic.Teams[i % Synthetic.Teams.Length]}&limit=20");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/components/{Synthetic.Name(client + 10)}")
        {
            Content = new StringContent(Synthetic.Markdown(client + 10, size).Replace("Known Issues: none", $"Known Issues: {i}", StringComparison.Ordinal), Encoding.UTF8, "text/markdown"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    });
    report.Add("mixed 80/10/10", $"concurrency {clients}: p50", latency.P50, "ms", extra: $"p99 {latency.P99:0.0} ms, {perSecond:0} req/s, errors {latency.Errors}", target: clients == 16 ? null : 20);
    if (latency.Errors > 0) report.Failures.Add($"mixed workload at {clients}: {latency.Errors} errors");
}

report.Add("memory", $"worker RSS with {size:N0} documents indexed", host.WorkerRssMiB() ?? double.NaN, "MiB", target: 1024);
Progress("Done");
report.Print(total.Elapsed);
await report.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", "latest.json"));
await report.SaveAsync(Path.Combine(RepoPaths.Root, "bench", "results", quick ? "quick.json" : "full.json"));
return report.Failures.Count == 0 ? 0 : 1;
