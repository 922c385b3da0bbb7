using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace DevHost;

/// <summary>
/// The dev host as a child process — <c>dotnet DevHost.dll --no-build --in-memory --no-seed --port N</c> over an
/// already built FunctionsApp — ready once <c>/api/health</c> answers 200. Used by the end-to-end tests and the
/// benchmark, which bring their own data: no sample data unless <c>seed</c> is asked for. It records when the
/// start-up milestones were seen.
/// </summary>
public sealed partial class DevHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<OutputWaiter> _waiters = [];

    private DevHostProcess(Process process, int port, TimeSpan requestTimeout)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = BaseAddress, Timeout = requestTimeout };
    }

    /// <summary>The dev host's own process (the worker and, when embedded, Azurite are its children).</summary>
    public int ProcessId => _process.Id;

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string Output => string.Join(Environment.NewLine, _output);

    public Task<int> Exited => _exited.Task;

    /// <summary>The worker's process id, from the dev host's "Worker process N started" line.</summary>
    public int? WorkerProcessId { get; private set; }

    /// <summary>Milliseconds from process start to the "Worker process started" line.</summary>
    public double WorkerStartedMs { get; private set; } = double.NaN;

    /// <summary>Milliseconds from process start to the "Host started" line (functions loaded).</summary>
    public double FunctionsLoadedMs { get; private set; } = double.NaN;

    /// <summary>Milliseconds from process start to the first 200 from <c>/api/health</c>.</summary>
    public double FirstOkMs { get; private set; } = double.NaN;

    /// <param name="environment">Variables for the dev host and its worker. <c>CatalogStorage</c> and
    /// <c>AzureWebJobsStorage</c> from this process are not passed on, so storage is the dev host's own Azurite
    /// unless given here.</param>
    /// <param name="seed">Load the sample documents into the (empty) storage, as a user's first run does; the
    /// dev host is returned when it is healthy, which may be before the import has finished (see <see cref="WaitForOutputAsync"/>).</param>
    public static async Task<DevHostProcess> StartAsync(
        string configuration, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? requestTimeout = null, bool seed = false)
    {
        var host = Launch(configuration, environment, requestTimeout, seed);
        try
        {
            await host.WaitUntilHealthyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Starts a dev host expected not to come up (e.g. a bad setting) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(
        string configuration, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        await using var host = Launch(configuration, environment, null, seed: false);
        if (await Task.WhenAny(host.Exited, Task.Delay(timeout)) != host.Exited)
        {
            throw new TimeoutException($"The dev host was still running after {timeout}:{Environment.NewLine}{host.Output}");
        }
        return (await host.Exited, host.Output);
    }

    private static DevHostProcess Launch(string configuration, IReadOnlyDictionary<string, string>? environment, TimeSpan? requestTimeout, bool seed)
    {
        var root = RepoPaths.Root;
        var devHost = Path.Combine(root, "DevHost", "bin", configuration, "net10.0", "DevHost.dll");
        var app = Path.Combine(root, "FunctionsApp", "bin", configuration, "net10.0", "FunctionsApp.dll");
        foreach (var path in new[] { devHost, app })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: build ({configuration}) first.", path);
            }
        }

        var port = AzuriteProcess.FreePort();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { devHost, "--no-build", "--in-memory", "--port", $"{port}", "--configuration", configuration })
        {
            info.ArgumentList.Add(argument);
        }
        if (!seed)
        {
            info.ArgumentList.Add("--no-seed");
        }
        info.Environment.Remove("CatalogStorage");
        info.Environment.Remove("AzureWebJobsStorage");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new DevHostProcess(process, port, requestTimeout ?? TimeSpan.FromSeconds(30));
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        process.Exited += (_, _) => host._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been printed (one printed before counts too).</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>, or the process exited first; the message holds the output.</exception>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var waiter = new OutputWaiter(text);
        lock (_waiters)
        {
            _waiters.Add(waiter);
        }
        if (_output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } seen)
        {
            waiter.Found.TrySetResult(seen);
        }
        try
        {
            var finished = await Task.WhenAny(waiter.Found.Task, Exited, Task.Delay(timeout));
            if (finished != waiter.Found.Task)
            {
                throw new TimeoutException($"No line with '{text}' within {timeout}{(Exited.IsCompleted ? " (the dev host exited)" : string.Empty)}:{Environment.NewLine}{Output}");
            }
            return await waiter.Found.Task;
        }
        finally
        {
            lock (_waiters)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed record OutputWaiter(string Text)
    {
        public TaskCompletionSource<string> Found { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Resident memory of the worker process, from /proc (Linux); null elsewhere.</summary>
    public double? WorkerRssMiB()
    {
        var status = $"/proc/{WorkerProcessId}/status";
        if (WorkerProcessId is null || !File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
            {
                waiter.Found.TrySetResult(line);
            }
        }
        if (WorkerStarted().Match(line) is { Success: true } match)
        {
            WorkerStartedMs = _sinceStart.Elapsed.TotalMilliseconds;
            WorkerProcessId = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
        }
        else if (line.Contains("Host started in", StringComparison.Ordinal))
        {
            FunctionsLoadedMs = _sinceStart.Elapsed.TotalMilliseconds;
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The dev host exited with code {Exited.Result} while starting:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await Client.GetAsync("api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    FirstOkMs = _sinceStart.Elapsed.TotalMilliseconds;
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"The dev host was not healthy within {StartTimeout}:{Environment.NewLine}{Output}");
    }

    /// <summary>SIGTERM (what Ctrl+C or a service manager sends), then the exit code; killed if it hangs.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!Exited.IsCompleted)
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
            if (await Task.WhenAny(Exited, Task.Delay(timeout)) != Exited)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The dev host did not stop within {timeout} of SIGTERM:{Environment.NewLine}{Output}");
            }
        }
        return await Exited;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
        }
        Client.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"Worker process (?<pid>\d+) started")]
    private static partial Regex WorkerStarted();
}
