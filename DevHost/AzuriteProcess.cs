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

    /// <summary>Installs Azurite if needed and starts it. <paramref name="dataDirectory"/> null means in memory.</summary>
    /// <summary>Completes when every port accepts connections; <see cref="StartAsync"/> may return before that.</summary>
    public Task Listening { get; private set; } = Task.CompletedTask;

    /// <param name="waitUntilListening">False lets the caller start other work (the worker) while Azurite boots; await <see cref="Listening"/> before using it.</param>
    public static async Task<AzuriteProcess> StartAsync(
        string? dataDirectory, Action<string>? log = null, CancellationToken ct = default, bool waitUntilListening = true)
    {
        var root = RepoPaths.Root;
        var azurite = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            log?.Invoke("Installing Azurite from package-lock.json (npm ci)...");
            await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", root, ct);
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var args = new List<string>
        {
            azurite, "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
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
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) log?.Invoke("[azurite] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) log?.Invoke("[azurite] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var instance = new AzuriteProcess(process, blob, queue, table);
        instance.Listening = instance.WaitUntilListeningAsync(ct);
        if (waitUntilListening)
        {
            await instance.Listening;
        }
        return instance;
    }

    /// <summary>How long Azurite may take to open its ports: generous, as a loaded machine can take half a minute for node to start.</summary>
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);

    private async Task WaitUntilListeningAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.Add(ListenTimeout);
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
                catch (SocketException exception)
                {
                    throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{port} within {ListenTimeout.TotalSeconds:0} s ({exception.SocketErrorCode}).", exception);
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
