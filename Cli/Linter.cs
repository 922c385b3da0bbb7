using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;

namespace ComponentCatalog.Cli;

/// <summary>A finding at a 1-based line of its file.</summary>
internal sealed record LocatedFinding(int Line, Finding Finding);

/// <summary>One file's lint result: what <c>POST /api/validate</c> answers for it, plus lines.</summary>
internal sealed record LintedFile(string Path, string? Name, int Score, bool Valid, IReadOnlyList<LocatedFinding> Findings);

/// <summary>
/// Offline lint with the service's own parser and rules (<see cref="DocumentLint"/>, <see cref="ComponentQuality"/>).
/// References resolve against the linted files as they would within one <c>POST /api/import</c>: a name
/// counts as present when a file without error findings carries it.
/// </summary>
internal static class Linter
{
    private static readonly MarkdownTemplate Template = new();

    public static IReadOnlyList<LintedFile> Lint(IReadOnlyList<SourceFile> files, DateTimeOffset now, int staleAfterDays)
    {
        var parsed = files.Select(f => (File: f, Lint: DocumentLint.Markdown(Template, f.Text))).ToList();
        var names = parsed
            .Where(p => p.Lint.Findings.All(f => f.Severity != FindingSeverity.Error))
            .Select(p => Names.NameOf(p.Lint.Document))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        return parsed.Select(p =>
        {
            var report = ComponentQuality.Evaluate(p.Lint.Document, names.Contains, now, staleAfterDays, p.Lint.Findings);
            var located = report.Findings.Select(f => new LocatedFinding(FindingLines.LineOf(p.File.Text, f.Section), f)).ToList();
            return new LintedFile(p.File.Path, Names.NameOf(p.Lint.Document), report.Score, report.Valid, located);
        }).ToList();
    }
}
