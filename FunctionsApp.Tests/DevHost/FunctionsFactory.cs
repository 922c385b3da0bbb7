using DevHost.Functions;
using DevHost.Rpc;

namespace ComponentCatalog.Tests.DevHost;

/// <summary>Function metadata as the worker reports it, for the dev host's unit tests.</summary>
internal static class FunctionsFactory
{
    public static RpcFunctionMetadata Metadata(string name, params string[] rawBindings)
    {
        var metadata = new RpcFunctionMetadata
        {
            Name = name,
            FunctionId = $"id-{name}",
            ScriptFile = "FunctionsApp.dll",
            EntryPoint = $"ComponentCatalog.Functions.{name}",
            Language = "dotnet-isolated",
        };
        metadata.RawBindings.AddRange(rawBindings);
        return metadata;
    }

    public static FunctionDescriptor Http(string name, string? route, string methods = "\"get\"", string output = "$return")
    {
        var routePart = route is null ? string.Empty : $",\"route\":\"{route}\"";
        return FunctionRegistry.Describe(Metadata(
            name,
            $"{{\"name\":\"req\",\"type\":\"httpTrigger\",\"direction\":\"In\",\"authLevel\":\"Anonymous\",\"methods\":[{methods}]{routePart}}}",
            $"{{\"name\":\"{output}\",\"type\":\"http\",\"direction\":\"Out\"}}"));
    }

    public static FunctionDescriptor Timer(string name, string schedule, bool runOnStartup = false) =>
        FunctionRegistry.Describe(Metadata(
            name,
            $"{{\"name\":\"timer\",\"type\":\"timerTrigger\",\"direction\":\"In\",\"schedule\":\"{schedule}\"{(runOnStartup ? ",\"runOnStartup\":true" : string.Empty)}}}"));
}
