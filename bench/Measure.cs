using System.Diagnostics;

namespace Bench;

/// <summary>Latency samples and their summary.</summary>
internal sealed record Latency(int Count, double P50, double P95, double P99, double Mean, int Errors)
{
    public static Latency From(IReadOnlyList<double> samples, int errors)
    {
        if (samples.Count == 0) return new(0, double.NaN, double.NaN, double.NaN, double.NaN, errors);
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(sorted.Length, At(0.50), At(0.95), At(0.99), sorted.Average(), errors);
    }
}

internal static class Measure
{
    /// <summary>
    /// The message of the first line in the dev host's output (the worker's log included) that contains
    /// <paramref name="text"/>, without its time and category; null when there is none yet.
    /// </summary>
    public static string? LogMessage(DevHost.DevHostProcess host, string text) =>
        host.Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line
            ? (line.IndexOf("] ", StringComparison.Ordinal) is var end and >= 0 ? line[(end + 2)..] : line).Trim()
            : null;

    /// <summary>Runs <paramref name="call"/> sequentially: warm-up first, then <paramref name="count"/> timed calls (ms).</summary>
    public static async Task<Latency> SequentialAsync(int count, Func<int, Task<bool>> call, int warmup = 30)
    {
        for (var i = 0; i < warmup; i++) await call(i);
        var samples = new List<double>(count);
        var errors = 0;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var ok = await call(i);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!ok) errors++;
        }
        return Latency.From(samples, errors);
    }

    /// <summary>
    /// Several calls measured in turns (one of each per round, after a warm-up), so a ratio between them is fair on a
    /// machine whose load changes during the run.
    /// </summary>
    public static async Task<Latency[]> InterleavedAsync(int rounds, IReadOnlyList<Func<Task<bool>>> calls, int warmup = 30)
    {
        var samples = calls.Select(_ => new List<double>(rounds)).ToArray();
        var errors = new int[calls.Count];
        for (var round = -warmup; round < rounds; round++)
        {
            for (var c = 0; c < calls.Count; c++)
            {
                var start = Stopwatch.GetTimestamp();
                var ok = await calls[c]();
                if (round < 0) continue;
                samples[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok) errors[c]++;
            }
        }
        return [.. samples.Select((s, c) => Latency.From(s, errors[c]))];
    }

    /// <summary><paramref name="clients"/> concurrent loops for <paramref name="duration"/>: latency and requests per second.</summary>
    public static async Task<(Latency Latency, double PerSecond)> ConcurrentAsync(int clients, TimeSpan duration, Func<int, int, Task<bool>> call)
    {
        var samples = new List<double>[clients];
        var errors = new int[clients];
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            samples[client] = [];
            for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await call(client, i); }
                catch (HttpRequestException) { ok = false; }
                samples[client].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok) errors[client]++;
            }
        })));
        var all = samples.SelectMany(s => s).ToList();
        return (Latency.From(all, errors.Sum()), all.Count / watch.Elapsed.TotalSeconds);
    }

    /// <summary>CPU seconds (user + system) used so far by <paramref name="rootPid"/> and every process under it (Linux /proc).</summary>
    public static double CpuSeconds(params int[] rootPids)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
        }
        bool Under(int pid)
        {
            for (var p = pid; p > 1 && parents.ContainsKey(p); p = parents[p])
            {
                if (rootPids.Contains(p)) return true;
            }
            return false;
        }
        return ticks.Where(t => Under(t.Key)).Sum(t => t.Value) / 100.0;
    }
}
