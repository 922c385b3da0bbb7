using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComponentCatalog.Model;

internal sealed class EquatableListJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(EquatableList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(EquatableListJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

internal sealed class EquatableListJsonConverter<T> : JsonConverter<EquatableList<T>>
{
    public override EquatableList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var items = JsonSerializer.Deserialize<List<T>>(ref reader, options);
        return items is null ? null : new EquatableList<T>(items);
    }

    public override void Write(Utf8JsonWriter writer, EquatableList<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, (IReadOnlyList<T>)value, options);
}
