using System.Net.Http.Headers;
using DevHost;
using DevHost.Tokens;

namespace Bench;

/// <summary>
/// The website's rows (issue 15: a page p50 at most 1.5 × the JSON call serving the same data), in the whole
/// benchmark and alone with <c>--web</c>: seeds generated ~12 KB documents and one of ~50 KB straight into storage,
/// then measures pages and their JSON calls through the dev host, plus the pieces of a component page
/// (the raw Markdown, the revision list) to show where a page's time goes.
/// </summary>
internal static class WebBench
{
    public const string LargeName = "component-large-50kb";

    public static async Task<int> RunAsync(string configuration, Report report, Action<string> progress, int size)
    {
        progress("Starting Azurite");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        progress($"Seeding {size:N0} documents and one of ~50 KB directly");
        await ReadsBench.SeedAsync(azurite.ConnectionString, size, i => Synthetic.Markdown(i, size));
        await ReadsBench.SeedAsync(azurite.ConnectionString, 1, _ => Synthetic.Markdown(1, size, 50_000).Replace(Synthetic.Name(1), LargeName, StringComparison.Ordinal));
        var storage = new Dictionary<string, string> { ["CatalogStorage"] = azurite.ConnectionString, ["RateLimit__PermitsPerMinute"] = "1000000" };
        await using var host = await DevHostProcess.StartAsync(configuration, storage, TimeSpan.FromSeconds(600));
        var http = host.Client;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"], Teams = [.. Synthetic.Teams], Subject = "bench" }));
        progress("Pages against their JSON calls");
        await AddRowsAsync(http, LargeName, Synthetic.Word(11), size >= 10_000 ? 2000 : 300, report);
        return report.Failures.Count == 0 ? 0 : 1;
    }

    private const string BrowserCsrf = "bench-csrf-token-0123456789abcdefghijklmnopq";

    /// <summary>The median of each step a page reports in its <c>Server-Timing</c> header, over <paramref name="count"/> requests.</summary>
    private static async Task<List<(string Step, double Ms)>> ServerTimingAsync(HttpClient http, string path, int count)
    {
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", "catalog_csrf=" + BrowserCsrf);
            using var response = await http.SendAsync(request);
            if (!response.Headers.TryGetValues("Server-Timing", out var values)) continue;
            foreach (var entry in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                var parts = entry.Split(";dur=");
                if (parts.Length != 2 || !double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var ms)) continue;
                if (!samples.TryGetValue(parts[0], out var list))
                {
                    samples[parts[0]] = list = [];
                    order.Add(parts[0]);
                }
                list.Add(ms);
            }
        }
        return [.. order.Select(step => (step, Latency.From(samples[step], 0).P50))];
    }

    /// <summary>Search and component page p50 as ratios to the JSON calls, and the component page's storage-bound parts.</summary>
    public static async Task AddRowsAsync(HttpClient http, string name, string query, int n, Report report)
    {
        var sizes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        // Pages are fetched as a browser fetches them after its first page: with the CSRF cookie the site gave it
        // (without it every page answers with a Set-Cookie, which the first-visit row measures).
        async Task<bool> Ok(string path, bool asBrowser = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (asBrowser) request.Headers.Add("Cookie", "catalog_csrf=" + BrowserCsrf);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            sizes[path] = body.Length;
            return response.IsSuccessStatusCode;
        }
        var q = Uri.EscapeDataString(query);
        // Measured in turns, one request of each per round: the ratios stay fair while the machine's load changes.
        var paths = new (string Label, string Path, bool AsBrowser)[]
        {
            ("search JSON", $"api/components?q={q}&limit=20", false),
            ("search page", $"search?q={q}", true),
            ("document JSON", $"api/components/{name}", false),
            ("component page", $"components/{name}", true),
            ("component page, first visit", $"components/{name}", false),
            ("raw Markdown", $"components/{name}/raw", true),
            ("history page", $"components/{name}/history", true),
        };
        var latencies = await Measure.InterleavedAsync(n, [.. paths.Select(p => (Func<Task<bool>>)(() => Ok(p.Path, p.AsBrowser)))]);
        var measured = paths.Select((p, i) => (p.Label, Latency: latencies[i])).ToList();
        Latency Of(string label) => measured.Single(m => m.Label == label).Latency;
        var (searchJson, searchPage, documentJson, componentPage) = (Of("search JSON"), Of("search page"), Of("document JSON"), Of("component page"));
        var (firstVisit, raw, history) = (Of("component page, first visit"), Of("raw Markdown"), Of("history page"));
        var steps = await ServerTimingAsync(http, $"components/{name}", Math.Min(n, 200));
        foreach (var (label, latency) in measured.Where(m => m.Latency.Errors > 0))
        {
            report.Failures.Add($"web, {label}: {latency.Errors} errors");
        }
        report.Add("web", "search page (HTML, facets over all hits)", searchPage.P50, "ms", floor: searchJson.P50, floorName: "GET /api/components?q", target: 1.5, targetIsRatio: true,
            extra: $"p95 {searchPage.P95:0.0} ms; body {sizes[$"search?q={q}"] / 1024.0:0} KB, JSON {sizes[$"api/components?q={q}&limit=20"] / 1024.0:0} KB");
        report.Add("web", "component page (HTML, quality, graph, revisions)", componentPage.P50, "ms", floor: documentJson.P50, floorName: "GET document", target: 1.5, targetIsRatio: true,
            extra: $"p95 {componentPage.P95:0.0} ms; body {sizes[$"components/{name}"] / 1024.0:0} KB, JSON {sizes[$"api/components/{name}"] / 1024.0:0} KB");
        foreach (var (step, ms) in await ServerTimingAsync(http, $"search?q={q}", Math.Min(n, 200)))
        {
            report.Add("web", $"  search page step: {step} (Server-Timing p50)", ms, "ms", floor: searchJson.P50, floorName: "GET /api/components?q");
        }
        foreach (var (step, ms) in steps)
        {
            report.Add("web", $"  component page step: {step} (Server-Timing p50)", ms, "ms", floor: documentJson.P50, floorName: "GET document");
        }
        report.Add("web", "  part: raw Markdown page (cached document, no HTML)", raw.P50, "ms", floor: documentJson.P50, floorName: "GET document");
        report.Add("web", "  component page, first visit (no CSRF cookie: Set-Cookie)", firstVisit.P50, "ms", floor: documentJson.P50, floorName: "GET document");
        report.Add("web", "  part: history page (revision list from storage)", history.P50, "ms", floor: documentJson.P50, floorName: "GET document");
    }
}
