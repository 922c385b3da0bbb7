using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using DevHost;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>
/// The dev host as a child process over the real worker: <c>dotnet DevHost.dll --no-build --in-memory --port N</c>,
/// running the FunctionsApp output of the configuration these tests were built with. Ready once /api/health answers 200.
/// </summary>
public sealed partial class DevHostServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DevHostServer(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The build configuration of this test assembly, hence of the FunctionsApp and DevHost outputs next to it.</summary>
    public static string Configuration { get; } =
        typeof(DevHostServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string Output => string.Join(Environment.NewLine, _output);

    public Task<int> Exited => _exited.Task;

    /// <summary>The worker's process id, from the dev host's "Worker process N started" line.</summary>
    public int? WorkerProcessId => _output.Select(line => WorkerStarted().Match(line)).FirstOrDefault(m => m.Success) is { } match
        ? int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture)
        : null;

    public static async Task<DevHostServer> StartAsync()
    {
        var root = RepoPaths.Root;
        var devHost = Path.Combine(root, "DevHost", "bin", Configuration, "net10.0", "DevHost.dll");
        var app = Path.Combine(root, "FunctionsApp", "bin", Configuration, "net10.0", "FunctionsApp.dll");
        foreach (var path in new[] { devHost, app })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: build FunctionsApp.Tests ({Configuration}) first.", path);
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
        foreach (var argument in new[] { devHost, "--no-build", "--in-memory", "--port", $"{port}", "--configuration", Configuration })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("CatalogStorage");
        info.Environment.Remove("AzureWebJobsStorage");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new DevHostServer(process, port);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.Exited += (_, _) => server._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
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
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
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
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
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

/// <summary>One dev host shared by the end-to-end test classes: started by the first, stopped after the last.</summary>
public static class SharedDevHost
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static DevHostServer? _server;
    private static int _users;

    public static async Task<DevHostServer> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _server ??= await DevHostServer.StartAsync();
            _users++;
            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0 && _server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
