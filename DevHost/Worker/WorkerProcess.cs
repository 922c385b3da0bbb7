using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DevHost.Worker;

/// <summary>The unmodified worker, started with the command line and environment the real host gives it.</summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code when the worker process ends.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The real host's command line (RpcWorkerContext): legacy switches first, then the <c>--functions-*</c> ones worker 2.x reads.</summary>
    public static IReadOnlyList<string> BuildArguments(string workerPath, Uri grpcUri, string workerId, string requestId)
    {
        var max = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var port = grpcUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            workerPath,
            "--host", grpcUri.Host, "--port", port, "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", max,
            "--functions-uri", grpcUri.ToString(), "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", max,
        ];
    }

    /// <summary>The <c>dotnet</c> to run the worker with: the one running the dev host's tooling when known.</summary>
    public static string ResolveExecutable(string configured) =>
        configured == "dotnet" && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : configured;

    public static WorkerProcess Start(
        string executable, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, ILogger logger)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                LogStdout(logger, line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                LogStderr(logger, line);
            }
        };
        process.Exited += (_, _) => worker._exited.TrySetResult(SafeExitCode(process));
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the worker ({executable}).");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits up to <paramref name="grace"/> for the worker to leave after WorkerTerminate, then kills it.</summary>
    public async Task<bool> WaitOrKillAsync(TimeSpan grace)
    {
        if (await Task.WhenAny(Exited, Task.Delay(grace)) == Exited)
        {
            return true;
        }
        Kill();
        await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return false;
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            Kill();
            await ((Task)Exited).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _process.Dispose();
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogStdout(ILogger logger, string line);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogStderr(ILogger logger, string line);
}
