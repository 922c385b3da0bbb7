using Microsoft.Extensions.Logging;

namespace DevHost.Worker;

/// <summary>
/// The console logging of worker logs (RpcLog), shown with their level and the worker's category. Kept apart from the
/// host's own logging so the host's filters (e.g. Microsoft.* at Warning) do not hide the worker's output.
/// </summary>
internal static class WorkerLogging
{
    /// <summary>The DI key of the worker's logger factory (disposed, hence flushed, with the host).</summary>
    public const string Key = "worker";

    public static ILoggerFactory CreateFactory(bool verbose) => LoggerFactory.Create(logging =>
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(verbose ? LogLevel.Trace : LogLevel.Information);
    });
}
