using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ComponentCatalog.Model;

namespace ComponentCatalog.Tests.OpenApi;

/// <summary>The document's schemas against the model types, through the app's own JSON rules (camelCase).</summary>
[TestClass]
public sealed class OpenApiSchemaTests
{
    private static readonly JsonObject Document = OpenApiSpec.Document;
    private static readonly JsonObject Schemas = Document["components"]!["schemas"]!.AsObject();

    [TestMethod]
    public void ComponentDocumentSchema_EveryModelProperty_IsDocumentedWithItsType()
    {
        var problems = new List<string>();
        var visited = new HashSet<Type>();

        Check(typeof(ComponentDocument), problems, visited);

        Assert.IsGreaterThanOrEqualTo(15, visited.Count);
        Assert.IsEmpty(problems, "Edit FunctionsApp/OpenApi/openapi.json: " + string.Join("; ", problems));
    }

    [TestMethod]
    public void LifecycleSchema_Values_AreTheEnumAsSerialized()
    {
        var expected = Enum.GetValues<Lifecycle>().Select(v => JsonSerializer.Serialize(v, CatalogJson.Options).Trim('"')).ToList();

        var documented = Schemas["Lifecycle"]!["enum"]!.AsArray().Select(v => (string)v!).ToList();

        CollectionAssert.AreEqual(expected, documented);
    }

    [TestMethod]
    public void ComponentDocumentSchema_ServerSetFields_AreReadOnly()
    {
        var properties = Schemas["ComponentDocument"]!["properties"]!;

        foreach (var name in new[] { "revision", "createdAt", "updatedAt", "updatedBy" })
        {
            Assert.IsTrue((bool?)properties[name]!["readOnly"] == true, name);
        }
    }

    [TestMethod]
    public void ProblemDetailsSchema_HasTheContractMembers()
    {
        var properties = Schemas["ProblemDetails"]!["properties"]!.AsObject().Select(p => p.Key).ToList();

        CollectionAssert.IsSubsetOf(new[] { "type", "title", "status", "detail", "instance", "traceId", "errors" }, properties);
    }

    [TestMethod]
    public void FindingSchema_HasTheContractMembersAndSeverities()
    {
        var finding = Schemas["Finding"]!;

        CollectionAssert.AreEquivalent(new[] { "rule", "severity", "section", "message" }, finding["properties"]!.AsObject().Select(p => p.Key).ToList());
        CollectionAssert.AreEqual(new[] { "error", "warning", "info" }, finding["properties"]!["severity"]!["enum"]!.AsArray().Select(v => (string)v!).ToList());
    }

    private static void Check(Type type, List<string> problems, HashSet<Type> visited)
    {
        if (!visited.Add(type))
        {
            return;
        }
        if (Schemas[type.Name] is not JsonObject schema)
        {
            problems.Add($"no schema '{type.Name}'");
            return;
        }

        var documented = schema["properties"]?.AsObject() ?? [];
        foreach (var property in CatalogJson.Options.GetTypeInfo(type).Properties)
        {
            if (documented[property.Name] is not JsonObject propertySchema)
            {
                problems.Add($"{type.Name}.{property.Name} is not documented");
                continue;
            }
            var (target, isList) = ModelTarget(property);
            if (target is null)
            {
                continue;
            }
            var reference = (string?)(isList ? propertySchema["items"]?["$ref"] : propertySchema["$ref"]);
            if (reference != $"#/components/schemas/{target.Name}")
            {
                problems.Add($"{type.Name}.{property.Name} should refer to {target.Name}{(isList ? " (array items)" : string.Empty)}, not {reference ?? "an inline schema"}");
                continue;
            }
            if (!target.IsEnum)
            {
                Check(target, problems, visited);
            }
        }
    }

    /// <summary>The model type a property holds (itself or as list items), or null for strings, numbers and dates.</summary>
    private static (Type? Type, bool IsList) ModelTarget(JsonPropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var isList = false;
        if (type != typeof(string) && type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            type = enumerable.GetGenericArguments()[0];
            isList = true;
        }
        return type.Namespace == typeof(ComponentDocument).Namespace ? (type, isList) : (null, isList);
    }
}
