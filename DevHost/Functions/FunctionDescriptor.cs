using System.Text.Json.Nodes;
using DevHost.Rpc;

namespace DevHost.Functions;

/// <summary>One function as the worker indexed it, with what the host needs from its raw bindings.</summary>
internal sealed record FunctionDescriptor(
    string Name,
    string FunctionId,
    string TriggerType,
    string TriggerName,
    JsonObject Trigger,
    string? HttpOutputName,
    RpcFunctionMetadata Metadata)
{
    public bool IsHttp => string.Equals(TriggerType, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => string.Equals(TriggerType, "timerTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>The route template; the real host uses the function name when it is missing or empty.</summary>
    public string Route => String("route") is { Length: > 0 } route ? route.Trim('/') : Name;

    /// <summary>Allowed methods, upper case; empty means every method.</summary>
    public IReadOnlyList<string> Methods =>
        Trigger["methods"] is JsonArray methods
            ? [.. methods.Select(m => m?.GetValue<string>()).OfType<string>().Select(m => m.ToUpperInvariant())]
            : [];

    public string? Schedule => String("schedule");

    public bool RunOnStartup => Bool("runOnStartup") ?? false;

    public bool UseMonitor => Bool("useMonitor") ?? true;

    private string? String(string name) => Find(name) is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private bool? Bool(string name) => Find(name) switch
    {
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
        _ => null,
    };

    private JsonNode? Find(string name) =>
        Trigger.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
