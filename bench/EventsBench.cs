using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevHost;
using DevHost.Tokens;

namespace Bench;

/// <summary>
/// <c>--events [count]</c>: change events through the dev host (its timer and the committing instance's immediate
/// delivery, as configured locally) to a real webhook receiver on 127.0.0.1 (HttpListener). Commit → delivery is
/// measured from the moment the client has the write's 2xx (the commit is before it) to the moment the receiver
/// has the event's POST; writes are spaced 0–500 ms apart so they fall at every phase of the timer. Then 16
/// writers commit <c>count</c> more changes at once: events/s delivered from the first to the last receipt.
/// </summary>
internal static class EventsBench
{
    public static async Task<int> RunAsync(string configuration, Report report, Action<string> progress, int count)
    {
        progress("Starting Azurite, the dev host and a webhook receiver");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        var settings = new Dictionary<string, string> { ["CatalogStorage"] = azurite.ConnectionString, ["RateLimit__PermitsPerMinute"] = "1000000" };
        await using var host = await DevHostProcess.StartAsync(configuration, settings, TimeSpan.FromSeconds(120));
        var http = host.Client;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"], Teams = ["bench"], Subject = "bench" }));
        using var receiver = new Receiver();

        using (var subscribe = await http.PostAsync("api/subscriptions",
            new StringContent(JsonSerializer.Serialize(new { endpoint = receiver.Url }), Encoding.UTF8, "application/json")))
        {
            if (subscribe.StatusCode != HttpStatusCode.Created)
            {
                report.Failures.Add($"subscribe: {(int)subscribe.StatusCode} {await subscribe.Content.ReadAsStringAsync()}");
                return 1;
            }
        }

        progress($"Commit → delivery: {count} writes, one at a time, 0–500 ms apart");
        var committed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var retries = 0;
        async Task<bool> CreateAsync(string name)
        {
            var body = JsonSerializer.Serialize(new { name, title = $"{name} service", owner = "bench", description = $"The {name} service, written by the events benchmark." });
            var response = await http.PostAsync("api/components", new StringContent(body, Encoding.UTF8, "application/json"));
            for (var retry = 0; retry < 3 && response.StatusCode == HttpStatusCode.ServiceUnavailable; retry++)
            {
                // A client retries a 503 (a slow announcement or a busy storage refuses the write); each one is counted.
                Interlocked.Increment(ref retries);
                response.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(1));
                response = await http.PostAsync("api/components", new StringContent(body, Encoding.UTF8, "application/json"));
            }
            using var _ = response;
            committed[name] = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Created) failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.StatusCode == HttpStatusCode.Created;
        }
        var random = new Random(16);
        var errors = 0;
        for (var i = 0; i < count; i++)
        {
            if (!await CreateAsync($"latency-{i:D5}")) errors++;
            await Task.Delay(random.Next(500));
        }
        if (!await receiver.WaitForAsync(count, TimeSpan.FromSeconds(60)))
        {
            report.Failures.Add($"commit → delivery: {receiver.Count} of {count} events arrived within 60 s");
        }
        var samples = committed.Keys.Where(receiver.Arrivals.ContainsKey)
            .Select(n => Stopwatch.GetElapsedTime(committed[n], receiver.Arrivals[n]).TotalMilliseconds).ToList();
        var latency = Latency.From(samples, errors);
        report.Add("events", $"commit → webhook receipt, {count} writes 0–500 ms apart: p50", latency.P50, "ms", target: 2000,
            extra: $"p99 {latency.P99:0} ms, max {samples.DefaultIfEmpty(double.NaN).Max():0} ms, write errors {errors}");

        progress($"Throughput: 16 writers commit {count * 4} changes at once");
        var burst = count * 4;
        var before = receiver.Count;
        var start = Stopwatch.GetTimestamp();
        var burstErrors = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, burst), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            if (!await CreateAsync($"burst-{i:D5}")) Interlocked.Increment(ref burstErrors);
        });
        var committedAll = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!await receiver.WaitForAsync(before + burst - burstErrors, TimeSpan.FromSeconds(120)))
        {
            report.Failures.Add($"throughput: {receiver.Count - before} of {burst - burstErrors} events arrived within 120 s");
        }
        var arrivals = receiver.Arrivals.Where(a => a.Key.StartsWith("burst-", StringComparison.Ordinal)).Select(a => a.Value).Order().ToArray();
        var spread = arrivals.Length > 1 ? Stopwatch.GetElapsedTime(arrivals[0], arrivals[^1]).TotalSeconds : double.NaN;
        var tail = arrivals.Length > 0 ? Stopwatch.GetElapsedTime(start, arrivals[^1]).TotalSeconds : double.NaN;
        report.Add("events", $"delivered to one webhook, {burst} changes by 16 writers: events/s", arrivals.Length / spread, "ev/s", higherIsBetter: true,
            extra: $"first to last receipt {spread:0.0} s; writes took {committedAll:0.0} s ({burst / committedAll:0} commits/s); last event {tail:0.0} s after the first write; write errors {burstErrors}, 503s retried {retries}; duplicates {receiver.Duplicates}");
        if (errors + burstErrors > 0) report.Failures.Add($"events: {errors + burstErrors} writes failed: {string.Join(" | ", failures.Take(3))}");
        return report.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>A webhook receiver on 127.0.0.1: answers the handshake, 200 to each POST, notes when each component's first event arrived.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private int _duplicates;

        public Receiver()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        /// <summary>Subject → Stopwatch timestamp of its first event's arrival.</summary>
        public ConcurrentDictionary<string, long> Arrivals { get; } = new(StringComparer.Ordinal);

        public int Count => Arrivals.Count;

        public int Duplicates => _duplicates;

        private readonly ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);

        public async Task<bool> WaitForAsync(int count, TimeSpan timeout)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (Count < count && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(10);
            }
            return Count >= count;
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                var at = Stopwatch.GetTimestamp();
                if (context.Request.HttpMethod == "OPTIONS")
                {
                    context.Response.Headers["WebHook-Allowed-Origin"] = context.Request.Headers["WebHook-Request-Origin"] ?? "*";
                }
                else
                {
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    var change = JsonNode.Parse(await reader.ReadToEndAsync())!;
                    if (!_ids.TryAdd(change["id"]!.GetValue<string>(), true)) Interlocked.Increment(ref _duplicates);
                    Arrivals.TryAdd(change["subject"]!.GetValue<string>(), at);
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
