using System.Diagnostics;
using System.Net;
using DevHost.Cli;
using DevHost.Functions;
using DevHost.Http;
using DevHost.Rpc;
using DevHost.Settings;
using DevHost.Timers;
using DevHost.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevHost;

/// <summary>Exit codes of the dev host.</summary>
internal static class ExitCodes
{
    public const int Stopped = 0;
    public const int StartupFailed = 1;
    public const int Usage = 2;
    public const int WorkerCrashed = 3;
}

/// <summary>
/// One run of the dev host: Kestrel up (gRPC and public ports), build the app, Azurite, the worker and its handshake,
/// routes and timers; then wait for Ctrl+C/SIGTERM or a worker crash, and stop in order (timers, WorkerTerminate,
/// Kestrel, Azurite).
/// </summary>
internal sealed partial class DevHostApp
{
    public const long MaxRequestBodyBytes = 100L * 1024 * 1024;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(DevHostOptions options)
    {
        var root = RepoPaths.Root;
        var grpcPort = AzuriteProcess.FreePort();
        var app = BuildWebApp(options, grpcPort);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevHost");
        var started = Stopwatch.GetTimestamp();
        try
        {
            await app.StartAsync();
        }
        catch (IOException exception)
        {
            LogPortBusy(logger, options.Port, exception.Message);
            return ExitCodes.StartupFailed;
        }

        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        AzuriteProcess? azurite = null;
        WorkerProcess? worker = null;
        var state = app.Services.GetRequiredService<HostState>();
        var exitCode = ExitCodes.Stopped;
        try
        {
            var appDirectory = Path.Combine(root, "FunctionsApp", "bin", options.Configuration, "net10.0");
            if (!options.NoBuild && !await BuildAppAsync(root, options.Configuration, logger, stopping))
            {
                return exitCode = ExitCodes.StartupFailed;
            }

            var dataDirectory = options.ResolveDataDirectory(root);
            LogAzurite(logger, dataDirectory ?? "in memory");
            azurite = await AzuriteProcess.StartAsync(dataDirectory, line => LogAzuriteLine(logger, line), stopping, waitUntilListening: false);

            state.HostJson = HostJson.Load(Path.Combine(appDirectory, "host.json"));
            var settings = LocalSettings.Load(root);
            var processEnvironment = WorkerEnvironment.CurrentProcess();
            var environment = WorkerEnvironment.Build(processEnvironment, settings, appDirectory, azurite.ConnectionString, options.Port);
            state.MaxRequestBodyBytes = RequestGuard.ParseBodyLimit(WorkerEnvironment.Lookup(processEnvironment, environment)(RequestGuard.BodyLimitSetting));
            LogSettings(logger, settings.Source ?? "(no local settings file)",
                string.Join(", ", WorkerEnvironment.StorageSettings.Select(s => $"{s}={(processEnvironment.ContainsKey(s) ? "from environment" : "Azurite")}")));

            var channel = app.Services.GetRequiredService<WorkerChannel>();
            var config = WorkerConfig.Load(appDirectory);
            var workerId = Guid.NewGuid().ToString();
            channel.ExpectedWorkerId = workerId;
            var arguments = WorkerProcess.BuildArguments(config.WorkerPath, new Uri($"http://127.0.0.1:{grpcPort}/"), workerId, Guid.NewGuid().ToString());
            var workerLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevHost.Worker.Console");
            worker = WorkerProcess.Start(WorkerProcess.ResolveExecutable(config.ExecutablePath), arguments, appDirectory, environment, workerLogger);
            LogWorkerStarted(logger, worker.ProcessId, config.WorkerPath);

            var registry = await WorkerHandshake.RunAsync(channel, worker, appDirectory, HandshakeTimeout, error => LogFunctionError(logger, error), stopping);
            var routes = RouteTable.Build(registry.Functions, state.HostJson.RoutePrefix, RouteTable.CreateConstraintResolver());
            var invoker = new FunctionInvoker(channel, state.HostJson.FunctionTimeout, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevHost.Functions"));
            var (timers, timerErrors) = TimerScheduler.Prepare(registry.Functions, WorkerEnvironment.Lookup(processEnvironment, environment));
            foreach (var error in routes.Errors.Concat(timerErrors))
            {
                LogFunctionError(logger, error);
            }

            var websiteTimeZone = WorkerEnvironment.Lookup(processEnvironment, environment)("WEBSITE_TIME_ZONE");
            state.Timers = new TimerScheduler(timers, invoker.InvokeTimerAsync, TimeProvider.System, TimerSchedule.ResolveTimeZone(websiteTimeZone),
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevHost.Timers"));
            await azurite.Listening; // booted alongside the worker; storage must answer before the first request
            (state.Registry, state.Routes, state.Invoker) = (registry, routes, invoker);
            Console.Out.Write(FunctionListing.Format(registry, routes, timers, $"http://127.0.0.1:{options.Port}"));
            LogReady(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            state.Timers.Start();

            var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (stopping.Register(() => stopRequested.TrySetResult()))
            {
                await Task.WhenAny(worker.Exited, channel.Closed, stopRequested.Task);
            }
            if (!stopping.IsCancellationRequested)
            {
                // Ctrl+C in a terminal signals the whole process group: the worker may leave a moment before our own stop fires.
                await ((Task)worker.Exited).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }
            if (!stopping.IsCancellationRequested)
            {
                LogWorkerCrashed(logger, worker.Exited.IsCompleted ? worker.Exited.Result.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none: the stream closed");
                exitCode = ExitCodes.WorkerCrashed;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            LogStartupFailed(logger, $"the worker did not complete the handshake within {HandshakeTimeout.TotalSeconds:0} s");
            exitCode = ExitCodes.StartupFailed;
        }
        catch (Exception exception) when (exception is WorkerStartupException or WorkerUnavailableException or InvalidOperationException or IOException or InvalidDataException or TimeoutException)
        {
            LogStartupFailed(logger, exception.Message);
            exitCode = worker?.Exited.IsCompleted == true ? ExitCodes.WorkerCrashed : ExitCodes.StartupFailed;
        }
        finally
        {
            await StopAsync(app, state, worker, azurite, logger);
        }
        return exitCode;
    }

    private static WebApplication BuildWebApp(DevHostOptions options, int grpcPort)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = RepoPaths.Root, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Trace : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.Verbose ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", options.Verbose ? LogLevel.Debug : LogLevel.Error);
        builder.Logging.AddFilter("Grpc", options.Verbose ? LogLevel.Debug : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddKeyedSingleton(WorkerLogging.Key, (_, _) => WorkerLogging.CreateFactory(options.Verbose));
        builder.Services.AddSingleton(services => new WorkerChannel(services.GetRequiredKeyedService<ILoggerFactory>(WorkerLogging.Key)));
        builder.Services.AddSingleton<HostState>();
        builder.Services.AddSingleton<PublicHttpHandler>();

        var app = builder.Build();
        var handler = app.Services.GetRequiredService<PublicHttpHandler>();
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == grpcPort)
            {
                await next(context);
            }
            else
            {
                await handler.HandleAsync(context);
            }
        });
        app.UseRouting();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    /// <summary><c>dotnet build</c>, not <c>dotnet run</c>: the Worker SDK turns run into <c>func start</c>.</summary>
    private static async Task<bool> BuildAppAsync(string root, string configuration, ILogger logger, CancellationToken ct)
    {
        LogBuilding(logger, configuration);
        var info = new ProcessStartInfo(WorkerProcess.ResolveExecutable("dotnet")) { WorkingDirectory = root, UseShellExecute = false };
        foreach (var argument in new[] { "build", Path.Combine(root, "FunctionsApp", "FunctionsApp.csproj"), "-c", configuration, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }
        using var build = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet build.");
        try
        {
            await build.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }
        if (build.ExitCode != 0)
        {
            LogBuildFailed(logger, build.ExitCode);
            return false;
        }
        return true;
    }

    private static async Task StopAsync(WebApplication app, HostState state, WorkerProcess? worker, AzuriteProcess? azurite, ILogger logger)
    {
        if (state.Timers is { } timers)
        {
            await timers.DisposeAsync();
        }
        if (worker is not null)
        {
            if (!worker.Exited.IsCompleted)
            {
                LogTerminating(logger);
                app.Services.GetRequiredService<WorkerChannel>().Terminate(TerminateGrace);
                if (!await worker.WaitOrKillAsync(TerminateGrace))
                {
                    LogKilled(logger, TerminateGrace);
                }
            }
            await worker.DisposeAsync();
        }
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await app.StopAsync(stopTimeout.Token);
        }
        await app.DisposeAsync();
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
        LogStopped(logger);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Cannot listen on 127.0.0.1:{Port}: {Reason} (pick another with --port)")]
    private static partial void LogPortBusy(ILogger logger, int port, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Building FunctionsApp ({Configuration})...")]
    private static partial void LogBuilding(ILogger logger, string configuration);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "dotnet build FunctionsApp failed with exit code {ExitCode}")]
    private static partial void LogBuildFailed(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Starting Azurite ({Data})")]
    private static partial void LogAzurite(ILogger logger, string data);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "{Line}")]
    private static partial void LogAzuriteLine(ILogger logger, string line);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Settings from {Source}; {Storage}")]
    private static partial void LogSettings(ILogger logger, string source, string storage);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Worker process {ProcessId} started ({WorkerPath})")]
    private static partial void LogWorkerStarted(ILogger logger, int processId, string workerPath);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogFunctionError(ILogger logger, string error);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Host started in {ElapsedMs:0} ms. Press Ctrl+C to stop.")]
    private static partial void LogReady(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Critical, Message = "The worker process exited unexpectedly (exit code {ExitCode}); the dev host stops.")]
    private static partial void LogWorkerCrashed(ILogger logger, string exitCode);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Critical, Message = "The dev host could not start: {Reason}")]
    private static partial void LogStartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Stopping: WorkerTerminate sent to the worker")]
    private static partial void LogTerminating(ILogger logger);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "The worker did not exit within {Grace}; killed")]
    private static partial void LogKilled(ILogger logger, TimeSpan grace);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Dev host stopped")]
    private static partial void LogStopped(ILogger logger);
}
