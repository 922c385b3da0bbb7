using System.Text.Json.Nodes;
using DevHost.Rpc;

namespace DevHost.Functions;

/// <summary>The functions the worker reported, in the worker's order (the order HTTP routes are registered in).</summary>
internal sealed class FunctionRegistry
{
    private readonly Dictionary<string, FunctionDescriptor> _byName;

    public FunctionRegistry(IReadOnlyList<FunctionDescriptor> functions)
    {
        Functions = functions;
        _byName = new Dictionary<string, FunctionDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in functions)
        {
            _byName.TryAdd(function.Name, function);
        }
    }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public FunctionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public static FunctionRegistry FromMetadata(IEnumerable<RpcFunctionMetadata> metadata) => new([.. metadata.Select(Describe)]);

    /// <summary>Reads the trigger and the HTTP output from the raw bindings; fills in what the load request needs.</summary>
    public static FunctionDescriptor Describe(RpcFunctionMetadata metadata)
    {
        var bindings = metadata.RawBindings.Select(raw => JsonNode.Parse(raw) as JsonObject).OfType<JsonObject>().ToList();
        var trigger = bindings.FirstOrDefault(b => Text(b, "direction") is { } d && d.Equals("in", StringComparison.OrdinalIgnoreCase)
                                                   && Text(b, "type") is { } t && t.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
                      ?? throw new InvalidDataException($"Function {metadata.Name} has no trigger binding.");
        var httpOutput = bindings.FirstOrDefault(b => Text(b, "type") is { } t && t.Equals("http", StringComparison.OrdinalIgnoreCase)
                                                      && Text(b, "direction") is { } d && d.Equals("out", StringComparison.OrdinalIgnoreCase));

        var loaded = metadata.Clone();
        if (loaded.FunctionId.Length == 0)
        {
            loaded.FunctionId = Guid.NewGuid().ToString();
        }
        if (loaded.Bindings.Count == 0)
        {
            foreach (var binding in bindings)
            {
                loaded.Bindings[Text(binding, "name") ?? string.Empty] = new BindingInfo
                {
                    Type = Text(binding, "type") ?? string.Empty,
                    Direction = Text(binding, "direction")?.ToLowerInvariant() switch
                    {
                        "out" => BindingInfo.Types.Direction.Out,
                        "inout" => BindingInfo.Types.Direction.Inout,
                        _ => BindingInfo.Types.Direction.In,
                    },
                    DataType = Text(binding, "dataType")?.ToLowerInvariant() switch
                    {
                        "string" => BindingInfo.Types.DataType.String,
                        "binary" => BindingInfo.Types.DataType.Binary,
                        "stream" => BindingInfo.Types.DataType.Stream,
                        _ => BindingInfo.Types.DataType.Undefined,
                    },
                };
            }
        }

        return new FunctionDescriptor(
            metadata.Name,
            loaded.FunctionId,
            Text(trigger, "type")!,
            Text(trigger, "name") ?? "req",
            trigger,
            httpOutput is null ? null : Text(httpOutput, "name"),
            loaded);
    }

    private static string? Text(JsonObject binding, string name) =>
        binding.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue value
        && value.TryGetValue<string>(out var text) ? text : null;
}
