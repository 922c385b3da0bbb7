using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using DevHost;

namespace Bench;

/// <summary>The dev host as a child process, with the times of its start-up milestones.</summary>
internal sealed partial class DevHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _tail = new();

    private DevHostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }
    public HttpClient Client { get; }
    public double WorkerStartedMs { get; private set; } = double.NaN;
    public double FunctionsLoadedMs { get; private set; } = double.NaN;
    public double FirstOkMs { get; private set; } = double.NaN;
    public int? WorkerProcessId { get; private set; }

    public static async Task<DevHostProcess> StartAsync(string configuration, IReadOnlyDictionary<string, string> environment)
    {
        var devHost = Path.Combine(RepoPaths.Root, "DevHost", "bin", configuration, "net10.0", "DevHost.dll");
        var port = AzuriteProcess.FreePort();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { devHost, "--no-build", "--in-memory", "--port", $"{port}", "--configuration", configuration }) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["RateLimit__PermitsPerMinute"] = "1000000";

        var process = new Process { StartInfo = info };
        var host = new DevHostProcess(process, port);
        process.OutputDataReceived += (_, e) => host.Watch(e.Data);
        process.ErrorDataReceived += (_, e) => host.Watch(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The dev host exited with {process.ExitCode} while starting:\n{string.Join('\n', host._tail)}");
            try
            {
                using var response = await host.Client.GetAsync("api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    host.FirstOkMs = host._sinceStart.Elapsed.TotalMilliseconds;
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The dev host did not become healthy within 120 s.");
    }

    private void Watch(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > 40) _tail.TryDequeue(out _);
        if (WorkerStarted().Match(line) is { Success: true } m)
        {
            WorkerStartedMs = _sinceStart.Elapsed.TotalMilliseconds;
            WorkerProcessId = int.Parse(m.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (line.Contains("Host started in", StringComparison.Ordinal))
        {
            FunctionsLoadedMs = _sinceStart.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>Resident memory of the worker process, from /proc (Linux).</summary>
    public double? WorkerRssMiB()
    {
        var status = $"/proc/{WorkerProcessId}/status";
        if (WorkerProcessId is null || !File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            if (!_process.WaitForExit(20_000)) _process.Kill(entireProcessTree: true);
        }
        Client.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"Worker process (?<pid>\d+) started")]
    private static partial Regex WorkerStarted();
}
