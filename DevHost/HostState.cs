using DevHost.Functions;
using DevHost.Http;
using DevHost.Settings;

namespace DevHost;

/// <summary>What the public endpoint needs once the worker is up; null until then.</summary>
internal sealed class HostState
{
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public HostJson HostJson { get; set; } = HostJson.Default;

    /// <summary>Largest request body, <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c> of the worker's settings.</summary>
    public long MaxRequestBodyBytes { get; set; } = Http.RequestGuard.DefaultMaxRequestBodyBytes;

    public FunctionRegistry? Registry { get; set; }

    public RouteTable? Routes { get; set; }

    public FunctionInvoker? Invoker { get; set; }

    public Timers.TimerScheduler? Timers { get; set; }

    public bool Ready => Routes is not null && Registry is not null && Invoker is not null;
}
