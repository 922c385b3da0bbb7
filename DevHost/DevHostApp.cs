using System.Diagnostics;
using System.Net;
using DevHost.Cli;
using DevHost.Functions;
using DevHost.Http;
using DevHost.Rpc;
using DevHost.SampleData;
using DevHost.Settings;
using DevHost.Tokens;
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
    public const int InvalidSettings = 4;
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
    private const string AppAssembly = "FunctionsApp.dll";
    private const string CatalogAdminRole = "Catalog.Admin";

    public static async Task<int> RunAsync(DevHostOptions options)
    {
        var root = RepoPaths.Root;
        var grpcPort = AzuriteProcess.FreePort();
        var app = BuildWebApp(options, grpcPort);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("DevHost");
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
        WorkerSupervisor? supervisor = null;
        var state = app.Services.GetRequiredService<HostState>();
        var exitCode = ExitCodes.Stopped;
        try
        {
            var appDirectory = Path.Combine(root, "FunctionsApp", "bin", options.Configuration, "net10.0");
            if (!options.NoBuild && !await BuildAppAsync(root, options.Configuration, logger, stopping))
            {
                return exitCode = ExitCodes.StartupFailed;
            }

            state.HostJson = HostJson.Load(Path.Combine(appDirectory, "host.json"));
            var settings = LocalSettings.Load(root);
            var processEnvironment = WorkerEnvironment.CurrentProcess();
            var environment = WorkerEnvironment.Build(processEnvironment, settings, appDirectory, "UseDevelopmentStorage=true", options.Port);
            var settingErrors = SettingsCheck.Validate(Path.Combine(appDirectory, AppAssembly), WorkerEnvironment.Merge(processEnvironment, environment));
            if (settingErrors.Count > 0)
            {
                foreach (var error in settingErrors)
                {
                    LogInvalidSetting(logger, error);
                }
                return exitCode = ExitCodes.InvalidSettings;
            }

            var dataDirectory = options.ResolveDataDirectory(root);
            LogAzurite(logger, dataDirectory ?? "in memory");
            azurite = await AzuriteProcess.StartAsync(dataDirectory, line => LogAzuriteLine(logger, line), stopping, waitUntilListening: false);
            environment = WorkerEnvironment.Build(processEnvironment, settings, appDirectory, azurite.ConnectionString, options.Port);
            state.MaxRequestBodyBytes = RequestGuard.ParseBodyLimit(WorkerEnvironment.Lookup(processEnvironment, environment)(RequestGuard.BodyLimitSetting));
            LogSettings(logger, settings.Source ?? "(no local settings file)",
                string.Join(", ", WorkerEnvironment.StorageSettings.Select(s => $"{s}={(processEnvironment.ContainsKey(s) ? "from environment" : "Azurite")}")));

            var lookup = WorkerEnvironment.Lookup(processEnvironment, environment);
            var launch = new WorkerLaunch(WorkerConfig.Load(appDirectory), appDirectory, new Uri($"http://127.0.0.1:{grpcPort}/"), environment, lookup, HandshakeTimeout);
            supervisor = new WorkerSupervisor(state, launch, loggers, app.Services.GetRequiredKeyedService<ILoggerFactory>(WorkerLogging.Key));
            var generation = await supervisor.StartAsync(stopping);
            await azurite.Listening; // booted alongside the worker; storage must answer before the first request
            WorkerSupervisor.Publish(state, generation);
            var baseUrl = $"http://127.0.0.1:{options.Port}";
            Console.Out.Write(FunctionListing.Format(generation.Registry, generation.Routes, generation.Timers.Timers, baseUrl));
            LogReady(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await SeedAsync(options, root, baseUrl, DevTokenSettings.Load(WorkerEnvironment.Merge(processEnvironment, environment), LocalSettings.Empty), logger, stopping);

            exitCode = await supervisor.SuperviseAsync(stopping);
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
            exitCode = exception is WorkerStartupException { WorkerExited: true } or WorkerUnavailableException ? ExitCodes.WorkerCrashed : ExitCodes.StartupFailed;
        }
        finally
        {
            await StopAsync(app, supervisor, azurite, logger);
        }
        return exitCode;
    }

    /// <summary>
    /// Empty storage gets the repository's own component documents and examples through <c>POST /api/import</c>
    /// (unless <c>--no-seed</c>); the console says what was loaded and which URLs to open.
    /// </summary>
    private static async Task SeedAsync(DevHostOptions options, string root, string baseUrl, DevTokenSettings tokenSettings, ILogger logger, CancellationToken ct)
    {
        if (options.NoSeed)
        {
            Console.Out.Write(OpenUrls.Format(baseUrl));
            return;
        }
        var documents = SampleSeeder.ReadDocuments(root);
        var token = DevTokens.Create(new DevTokenRequest { Roles = [CatalogAdminRole], Subject = "devhost-sample-data", Lifetime = TimeSpan.FromMinutes(5) }, tokenSettings);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var outcome = await new SampleSeeder(client, token).SeedAsync(documents, ct);
            if (outcome.Skipped)
            {
                LogSeedSkipped(logger);
            }
            else
            {
                LogSeeded(logger, outcome.Files, string.Join(", ", SampleSeeder.Folders), outcome.Summary);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
                                          || (exception is TaskCanceledException && !ct.IsCancellationRequested))
        {
            LogSeedFailed(logger, exception.Message);
        }
        Console.Out.Write(OpenUrls.Format(baseUrl));
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

    private static async Task StopAsync(WebApplication app, WorkerSupervisor? supervisor, AzuriteProcess? azurite, ILogger logger)
    {
        if (supervisor is not null)
        {
            await supervisor.StopAsync();
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

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogFunctionError(ILogger logger, string error);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Host started in {ElapsedMs:0} ms. Press Ctrl+C to stop.")]
    private static partial void LogReady(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Critical, Message = "The dev host could not start: {Reason}")]
    private static partial void LogStartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Dev host stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Critical, Message = "Invalid setting: {Error}")]
    private static partial void LogInvalidSetting(ILogger logger, string error);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Information, Message = "Sample data: loaded {Files} documents from {Folders} through POST /api/import ({Statuses}); --no-seed starts empty")]
    private static partial void LogSeeded(ILogger logger, int files, string folders, string statuses);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Information, Message = "Sample data: storage already has documents; nothing loaded")]
    private static partial void LogSeedSkipped(ILogger logger);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Sample data could not be loaded: {Reason}")]
    private static partial void LogSeedFailed(ILogger logger, string reason);
}
