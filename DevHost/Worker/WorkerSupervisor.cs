using System.Diagnostics;
using DevHost.Functions;
using DevHost.Http;
using DevHost.Settings;
using DevHost.Timers;
using Microsoft.Extensions.Logging;

namespace DevHost.Worker;

/// <summary>How to start one worker: everything that stays the same across restarts.</summary>
internal sealed record WorkerLaunch(
    WorkerConfig Config,
    string AppDirectory,
    Uri GrpcUri,
    IReadOnlyDictionary<string, string> Environment,
    Func<string, string?> Settings,
    TimeSpan HandshakeTimeout);

/// <summary>What one running worker serves: published to <see cref="HostState"/> together, withdrawn together.</summary>
internal sealed record WorkerGeneration(WorkerProcess Process, WorkerChannel Channel, FunctionRegistry Registry, RouteTable Routes, FunctionInvoker Invoker, TimerScheduler Timers);

/// <summary>
/// Starts the worker, and restarts it when it dies as the Functions host does: the routes are withdrawn at once (the
/// public port answers 503 with Retry-After, in-flight calls too), then a new worker process gets a new gRPC stream
/// and the full handshake after a backoff of 1, 2, 4, … s (at most <see cref="MaxBackoff"/>). After
/// <see cref="MaxRestartAttempts"/> failed starts in a row the dev host gives up.
/// </summary>
internal sealed partial class WorkerSupervisor(HostState state, WorkerLaunch launch, ILoggerFactory hostLoggers, ILoggerFactory workerLoggers)
{
    public const int MaxRestartAttempts = 5;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(16);
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = hostLoggers.CreateLogger("DevHost");
    private WorkerGeneration? _current;

    /// <summary>The delay before restart attempt <paramref name="attempt"/> (1-based): 1 s, 2 s, 4 s, … capped.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>Starts a worker and runs the handshake; on failure the process is gone and the exception says why.</summary>
    public async Task<WorkerGeneration> StartAsync(CancellationToken ct)
    {
        var workerId = Guid.NewGuid().ToString();
        var channel = new WorkerChannel(workerLoggers) { ExpectedWorkerId = workerId };
        state.Channel = channel;
        var arguments = WorkerProcess.BuildArguments(launch.Config.WorkerPath, launch.GrpcUri, workerId, Guid.NewGuid().ToString());
        var process = WorkerProcess.Start(
            WorkerProcess.ResolveExecutable(launch.Config.ExecutablePath), arguments, launch.AppDirectory, launch.Environment,
            hostLoggers.CreateLogger("DevHost.Worker.Console"));
        _current = null;
        LogWorkerStarted(_logger, process.ProcessId, launch.Config.WorkerPath);
        try
        {
            var registry = await WorkerHandshake.RunAsync(channel, process, launch.AppDirectory, launch.HandshakeTimeout, error => LogFunctionError(_logger, error), ct);
            var routes = RouteTable.Build(registry.Functions, state.HostJson.RoutePrefix, RouteTable.CreateConstraintResolver());
            var invoker = new FunctionInvoker(channel, state.HostJson.FunctionTimeout, hostLoggers.CreateLogger("DevHost.Functions"));
            var (timers, timerErrors) = TimerScheduler.Prepare(registry.Functions, launch.Settings);
            foreach (var error in routes.Errors.Concat(timerErrors))
            {
                LogFunctionError(_logger, error);
            }
            var scheduler = new TimerScheduler(timers, invoker.InvokeTimerAsync, TimeProvider.System,
                TimerSchedule.ResolveTimeZone(launch.Settings("WEBSITE_TIME_ZONE")), hostLoggers.CreateLogger("DevHost.Timers"));
            return _current = new WorkerGeneration(process, channel, registry, routes, invoker, scheduler);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Routes requests and fires timers on <paramref name="generation"/>.</summary>
    public static void Publish(HostState state, WorkerGeneration generation)
    {
        state.Timers = generation.Timers;
        (state.Registry, state.Invoker) = (generation.Registry, generation.Invoker);
        state.Routes = generation.Routes; // last: Ready turns true with everything in place
        generation.Timers.Start();
    }

    /// <summary>
    /// Watches the published worker until the dev host stops (0) or the worker cannot be brought back (exit code 3).
    /// </summary>
    public async Task<int> SuperviseAsync(CancellationToken stopping)
    {
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stopping.Register(() => stopRequested.TrySetResult());
        while (_current is { } generation)
        {
            await Task.WhenAny(generation.Process.Exited, generation.Channel.Closed, stopRequested.Task);
            if (!stopping.IsCancellationRequested)
            {
                // Ctrl+C in a terminal signals the whole process group: the worker may leave a moment before our own stop fires.
                await ((Task)generation.Process.Exited).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }
            if (stopping.IsCancellationRequested)
            {
                return ExitCodes.Stopped;
            }

            await WithdrawAsync(generation);
            if (!await RestartAsync(ExitText(generation.Process), stopping))
            {
                return stopping.IsCancellationRequested ? ExitCodes.Stopped : ExitCodes.WorkerCrashed;
            }
        }
        return ExitCodes.Stopped;
    }

    private async Task<bool> RestartAsync(string exitCode, CancellationToken stopping)
    {
        for (var attempt = 1; attempt <= MaxRestartAttempts; attempt++)
        {
            var delay = Backoff(attempt);
            if (attempt == 1)
            {
                LogWorkerDied(_logger, exitCode, delay.TotalSeconds);
            }
            try
            {
                await Task.Delay(delay, stopping);
                var started = Stopwatch.GetTimestamp();
                var generation = await StartAsync(stopping);
                Publish(state, generation);
                LogWorkerRestarted(_logger, generation.Process.ProcessId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception exception) when (exception is WorkerStartupException or WorkerUnavailableException or OperationCanceledException or InvalidOperationException or IOException)
            {
                LogRestartFailed(_logger, attempt, MaxRestartAttempts, exception.Message);
            }
        }
        LogGaveUp(_logger, MaxRestartAttempts);
        return false;
    }

    /// <summary>Withdraws the routes first (new requests get 503), then stops the timers and forgets the process.</summary>
    private async Task WithdrawAsync(WorkerGeneration generation)
    {
        state.Routes = null;
        (state.Registry, state.Invoker, state.Timers) = (null, null, null);
        _current = null;
        await generation.Timers.DisposeAsync();
        await generation.Process.DisposeAsync();
    }

    /// <summary>Ctrl+C/SIGTERM: timers stop, the worker gets WorkerTerminate (grace 5 s), then it is killed.</summary>
    public async Task StopAsync()
    {
        state.Routes = null;
        if (state.Timers is { } timers)
        {
            await timers.DisposeAsync();
        }
        if (_current is not { } generation)
        {
            return;
        }
        if (!generation.Process.Exited.IsCompleted)
        {
            LogTerminating(_logger);
            generation.Channel.Terminate(TerminateGrace);
            if (!await generation.Process.WaitOrKillAsync(TerminateGrace))
            {
                LogKilled(_logger, TerminateGrace);
            }
        }
        await generation.Process.DisposeAsync();
    }

    private static string ExitText(WorkerProcess process) =>
        process.Exited.IsCompleted ? process.Exited.Result.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none: the stream closed";

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Worker process {ProcessId} started ({WorkerPath})")]
    private static partial void LogWorkerStarted(ILogger logger, int processId, string workerPath);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogFunctionError(ILogger logger, string error);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "The worker process exited unexpectedly (exit code {ExitCode}); restarting it in {DelaySeconds:0} s, answering 503 meanwhile")]
    private static partial void LogWorkerDied(ILogger logger, string exitCode, double delaySeconds);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Worker process {ProcessId} restarted; functions loaded in {ElapsedMs:0} ms")]
    private static partial void LogWorkerRestarted(ILogger logger, int processId, double elapsedMs);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Worker restart {Attempt} of {MaxAttempts} failed: {Reason}")]
    private static partial void LogRestartFailed(ILogger logger, int attempt, int maxAttempts, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Critical, Message = "The worker could not be restarted after {MaxAttempts} attempts; the dev host stops.")]
    private static partial void LogGaveUp(ILogger logger, int maxAttempts);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Stopping: WorkerTerminate sent to the worker")]
    private static partial void LogTerminating(ILogger logger);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "The worker did not exit within {Grace}; killed")]
    private static partial void LogKilled(ILogger logger, TimeSpan grace);
}
