using System.Diagnostics;
using System.Net.Http.Headers;
using DevHost;
using DevHost.Tokens;

namespace Bench;

/// <summary>
/// Issue 19, item 3 ("idle means idle"): <c>--idle N</c> seeds N generated documents, starts the dev host, and
/// prints the CPU of the dev host, the worker and Azurite in 5-second windows for a minute after each of two
/// events — the first search (the index load) and an import of 200 documents — with no requests in between.
/// A timeline rather than one figure, so a slow settle is told apart from a steady poll.
/// </summary>
internal static class IdleBench
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string configuration, Report report, Action<string> progress, int size)
    {
        progress($"Seeding {size:N0} documents");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        await ReadsBench.SeedAsync(azurite.ConnectionString, size, i => Synthetic.Markdown(i, size));
        var storage = new Dictionary<string, string> { ["CatalogStorage"] = azurite.ConnectionString, ["RateLimit__PermitsPerMinute"] = "1000000" };
        await using var host = await DevHostProcess.StartAsync(configuration, storage, TimeSpan.FromSeconds(600));
        var http = host.Client;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"], Teams = [.. Synthetic.Teams], Subject = "bench" }));

        progress("Idle before any request");
        await TimelineAsync(report, host, azurite, "before any request", TimeSpan.FromSeconds(60));

        progress("First search (index load), then a minute with no requests");
        using (var response = await http.GetAsync("api/components?limit=1"))
        {
            if (!response.IsSuccessStatusCode) report.Failures.Add($"first search: {(int)response.StatusCode}");
        }
        await TimelineAsync(report, host, azurite, "after the first search", TimeSpan.FromSeconds(60));

        progress("Import of 200 documents, then a minute with no requests");
        var documents = Enumerable.Range(size, 200).Select(i => new { path = $"docs/{i}.md", markdown = Synthetic.Markdown(i, size + 200) });
        using (var response = await http.PostAsync("api/import", new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new { documents }), System.Text.Encoding.UTF8, "application/json")))
        {
            if (!response.IsSuccessStatusCode) report.Failures.Add($"import: {(int)response.StatusCode}");
        }
        await TimelineAsync(report, host, azurite, "after an import of 200", TimeSpan.FromSeconds(60));
        return report.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>CPU seconds used so far by the dev host (without its worker), the worker and Azurite.</summary>
    public static (double Host, double Worker, double Azurite) CpuSeconds(DevHostProcess host, AzuriteProcess azurite)
    {
        var worker = host.WorkerProcessId ?? -1;
        var hostAndWorker = Measure.CpuSeconds(host.ProcessId);
        var workerOnly = worker > 0 ? Measure.CpuSeconds(worker) : 0;
        return (hostAndWorker - workerOnly, workerOnly, Measure.CpuSeconds(azurite.ProcessId));
    }

    private static async Task TimelineAsync(Report report, DevHostProcess host, AzuriteProcess azurite, string after, TimeSpan length)
    {
        var previous = CpuSeconds(host, azurite);
        var steady = new List<double>();
        for (var at = Window; at <= length; at += Window)
        {
            var clock = Stopwatch.StartNew();
            await Task.Delay(Window);
            var now = CpuSeconds(host, azurite);
            double Percent(double from, double to) => (to - from) / clock.Elapsed.TotalSeconds * 100;
            var (h, w, a) = (Percent(previous.Host, now.Host), Percent(previous.Worker, now.Worker), Percent(previous.Azurite, now.Azurite));
            Console.WriteLine($"  {after}, {at.TotalSeconds - Window.TotalSeconds,3:0}–{at.TotalSeconds,3:0} s: host {h,5:0.0} %  worker {w,5:0.0} %  Azurite {a,5:0.0} %  total {h + w + a,5:0.0} %");
            if (at > length / 2) steady.Add(h + w + a);
            previous = now;
        }
        report.Add("idle", $"CPU of dev host + worker + Azurite, {after}, second half of {length.TotalSeconds:0} s, no requests",
            steady.Average(), "%", target: 1);
    }
}
