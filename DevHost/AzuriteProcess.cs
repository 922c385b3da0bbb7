using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DevHost;

/// <summary>
/// Azurite from the repository's own package-lock.json: installed with <c>npm ci</c> when absent,
/// started on free loopback ports, stopped with the owner. Used by the dev host and by the tests.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The process started (the benchmark measures its CPU and that of its children).</summary>
    public int ProcessId => _process.Id;

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The well-known Azurite development account, pointed at this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        $"AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>One <c>npm ci</c> at a time in this process: the test run starts several Azurites at once.</summary>
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Installs Azurite if needed and starts it. <paramref name="dataDirectory"/> null means in memory.</summary>
    /// <summary>Completes when every port accepts connections; <see cref="StartAsync"/> may return before that.</summary>
    public Task Listening { get; private set; } = Task.CompletedTask;

    /// <param name="waitUntilListening">False lets the caller start other work (the worker) while Azurite boots; await <see cref="Listening"/> before using it.</param>
    public static async Task<AzuriteProcess> StartAsync(
        string? dataDirectory, Action<string>? log = null, CancellationToken ct = default, bool waitUntilListening = true)
    {
        var root = RepoPaths.Root;
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        await InstallLock.WaitAsync(ct);
        try
        {
            // Installed, and not older than the lock file (which a pull may change, e.g. with a new patch in patches/).
            var installed = Path.Combine(root, "node_modules", ".package-lock.json");
            if (!File.Exists(azurite) || !File.Exists(installed)
                || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(root, "package-lock.json")))
            {
                log?.Invoke("Installing Azurite from package-lock.json (npm ci; patches/ applied after)...");
                await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", root, ct);
            }
        }
        finally
        {
            InstallLock.Release();
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var args = new List<string>
        {
            // Azurite keeps every table in the Node.js heap: 100,000 of the benchmark's 12 KB documents take ~5 GB, past
            // Node's default limit (~4 GB), where seeding them failed. Half the machine's memory instead (at least 4 GB).
            $"--max-old-space-size={Math.Max(4096, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / (1024 * 1024))}",
            // No telemetry: offline, Azurite queues every event under /tmp and rescans that folder every second,
            // about 2 % of a core with no requests at all (issue 19, "idle means idle").
            azurite, "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        };
        if (dataDirectory is null)
        {
            args.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            args.AddRange(["--location", dataDirectory]);
        }

        var info = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(info.ArgumentList.Add);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var instance = new AzuriteProcess(process, blob, queue, table);
        process.OutputDataReceived += (_, e) => instance.Record(e.Data, log);
        process.ErrorDataReceived += (_, e) => instance.Record(e.Data, log);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        instance.Listening = instance.WaitUntilListeningAsync(ct);
        if (waitUntilListening)
        {
            await instance.Listening;
        }
        return instance;
    }

    /// <summary>The last lines Azurite printed, for the message when it does not start.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private void Record(string? line, Action<string>? log)
    {
        if (line is not { Length: > 0 })
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 20 && _output.TryDequeue(out _))
        {
        }
        log?.Invoke("[azurite] " + line);
    }

    /// <summary>How long Azurite may take to listen: seconds normally, much longer on a loaded 2-core machine.</summary>
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);

    private async Task WaitUntilListeningAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartBound;
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} while starting.");
                }
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100, ct);
                }
                catch (SocketException e)
                {
                    throw new InvalidOperationException(
                        $"Azurite did not listen on 127.0.0.1:{port} within {StartBound.TotalSeconds:0} s; its last output: {string.Join(" | ", _output)}", e);
                }
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, string workingDirectory, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed ({process.ExitCode}): {stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
