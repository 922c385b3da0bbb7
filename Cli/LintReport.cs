using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;

namespace ComponentCatalog.Cli;

/// <summary>Lint results as text (grouped per file, <c>file:line</c>), JSON or SARIF 2.1.0, and the exit code they mean.</summary>
internal static class LintReport
{
    private static readonly JsonSerializerOptions Indented = new(CatalogJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int ExitCode(IReadOnlyList<LintedFile> files, int minScore) =>
        files.Any(f => !f.Valid || f.Score < minScore) ? ExitCodes.Problems : ExitCodes.Ok;

    public static void Write(TextWriter output, string format, IReadOnlyList<LintedFile> files, int minScore)
    {
        switch (format)
        {
            case "json":
                output.WriteLine(Json(files, minScore).ToJsonString(Indented));
                break;
            case "sarif":
                output.WriteLine(Sarif.Log(files.SelectMany(f => f.Findings.Select(l => new SarifFinding(SarifUri(f.Path), l.Line, l.Finding))).ToList()).ToJsonString(Indented));
                break;
            default:
                Text(output, files, minScore);
                break;
        }
    }

    private static void Text(TextWriter output, IReadOnlyList<LintedFile> files, int minScore)
    {
        foreach (var file in files)
        {
            var verdict = !file.Valid ? "invalid" : file.Score < minScore ? $"below --min-score {minScore}" : "ok";
            output.WriteLine($"{file.Path} — score {file.Score}, {verdict}");
            foreach (var (line, f) in file.Findings)
            {
                output.WriteLine($"  {file.Path}:{line}  {Severity(f.Severity),-7}  {f.Rule}  {f.Message} ({f.Section})");
            }
        }
        var all = files.SelectMany(f => f.Findings).Select(l => l.Finding.Severity).ToList();
        var failing = files.Count(f => !f.Valid || f.Score < minScore);
        output.WriteLine(
            $"{files.Count} file{(files.Count == 1 ? "" : "s")}: {all.Count(s => s == FindingSeverity.Error)} errors, " +
            $"{all.Count(s => s == FindingSeverity.Warning)} warnings, {all.Count(s => s == FindingSeverity.Info)} notes; " +
            (failing == 0 ? "all pass." : $"{failing} fail."));
    }

    private static JsonObject Json(IReadOnlyList<LintedFile> files, int minScore) => new()
    {
        ["minScore"] = minScore,
        ["valid"] = ExitCode(files, minScore) == ExitCodes.Ok,
        ["files"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject
        {
            ["path"] = f.Path,
            ["name"] = f.Name,
            ["valid"] = f.Valid,
            ["score"] = f.Score,
            ["findings"] = new JsonArray(f.Findings.Select(l =>
            {
                var finding = JsonSerializer.SerializeToNode(l.Finding, CatalogJson.Options)!.AsObject();
                finding["line"] = l.Line;
                return (JsonNode)finding;
            }).ToArray()),
        }).ToArray()),
    };

    /// <summary>A relative path as a relative URI reference (segments escaped); a path outside the working directory as a file URI.</summary>
    internal static string SarifUri(string path) => Path.IsPathRooted(path)
        ? new Uri(path).AbsoluteUri
        : string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string Severity(FindingSeverity severity) => JsonNamingPolicy.CamelCase.ConvertName(severity.ToString());
}
