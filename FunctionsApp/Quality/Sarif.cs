using System.Text.Json.Nodes;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>Findings as a SARIF 2.1.0 log, so CI systems show them as annotations on the file.</summary>
public static class Sarif
{
    public const string MediaType = "application/sarif+json";

    public static JsonObject Log(string? artifactPath, IReadOnlyList<Finding> findings)
    {
        var rules = new JsonArray(findings.Select(f => f.Rule).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(rule => (JsonNode)new JsonObject
            {
                ["id"] = rule,
                ["helpUri"] = $"https://github.com/component-catalog/docs/quality-rules.md#{rule}",
            }).ToArray());
        var results = new JsonArray(findings.Select(f =>
        {
            var result = new JsonObject
            {
                ["ruleId"] = f.Rule,
                ["level"] = f.Severity switch { FindingSeverity.Error => "error", FindingSeverity.Warning => "warning", _ => "note" },
                ["message"] = new JsonObject { ["text"] = f.Message },
                ["properties"] = new JsonObject { ["section"] = f.Section },
            };
            if (artifactPath is not null)
            {
                result["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = artifactPath } },
                });
            }
            return (JsonNode)result;
        }).ToArray());

        return new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject { ["name"] = "component-catalog", ["informationUri"] = "https://github.com/component-catalog", ["rules"] = rules },
                },
                ["results"] = results,
            }),
        };
    }
}
