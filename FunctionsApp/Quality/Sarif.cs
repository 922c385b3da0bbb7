using System.Text.Json.Nodes;
using ComponentCatalog.Model;

namespace ComponentCatalog.Quality;

/// <summary>Findings as a SARIF 2.1.0 log, so CI systems show them as annotations on the file.</summary>
internal static class Sarif
{
    public const string MediaType = "application/sarif+json";

    public static JsonObject Log(string? artifactPath, IReadOnlyList<Finding> findings) =>
        Log(findings.Select(f => new SarifFinding(artifactPath, null, f)).ToList());

    /// <summary>Findings of several files (the CLI's <c>lint --format sarif</c>), each with its line when known.</summary>
    public static JsonObject Log(IReadOnlyList<SarifFinding> located)
    {
        var findings = located.Select(l => l.Finding).ToList();
        var rules = new JsonArray(findings.Select(f => f.Rule).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(rule => (JsonNode)new JsonObject
            {
                ["id"] = rule,
                ["helpUri"] = $"https://github.com/component-catalog/docs/quality-rules.md#{rule}",
            }).ToArray());
        var results = new JsonArray(located.Select(l =>
        {
            var (artifactPath, line, f) = l;
            var result = new JsonObject
            {
                ["ruleId"] = f.Rule,
                ["level"] = f.Severity switch { FindingSeverity.Error => "error", FindingSeverity.Warning => "warning", _ => "note" },
                ["message"] = new JsonObject { ["text"] = f.Message },
                ["properties"] = new JsonObject { ["section"] = f.Section },
            };
            if (artifactPath is not null)
            {
                var physical = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = artifactPath } };
                if (line is { } startLine)
                {
                    physical["region"] = new JsonObject { ["startLine"] = startLine };
                }
                result["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical });
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

/// <summary>A finding in a file, at a 1-based line when known.</summary>
internal sealed record SarifFinding(string? ArtifactPath, int? Line, Finding Finding);
