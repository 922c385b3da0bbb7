using System.Text;
using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using ComponentCatalog.Model;

namespace ComponentCatalog.Markdown;

/// <summary>One section that differs between two revisions, as unified diff text.</summary>
internal sealed record SectionChange(string Section, string Change, string Diff);

/// <summary>
/// Compares two documents section by section on their Markdown rendering (the format people read), so
/// a diff shows the template's headings and sub-structure; each changed section gets unified diff text.
/// </summary>
internal static class SectionDiff
{
    private const int Context = 3;
    private const string FrontMatter = "(front matter)";

    public static IReadOnlyList<SectionChange> Compare(ComponentDocument from, ComponentDocument to)
    {
        var before = Sections(MarkdownRenderer.Render(from));
        var after = Sections(MarkdownRenderer.Render(to));
        var order = before.Keys.Concat(after.Keys.Where(k => !before.ContainsKey(k))).ToList();
        var changes = new List<SectionChange>();
        foreach (var section in order)
        {
            var a = before.GetValueOrDefault(section, string.Empty);
            var b = after.GetValueOrDefault(section, string.Empty);
            if (a == b) continue;
            var change = a.Length == 0 ? "added" : b.Length == 0 ? "removed" : "modified";
            changes.Add(new SectionChange(section, change, Unified(section, a, b)));
        }
        return changes;
    }

    /// <summary>Heading → the section's lines (heading included), in the rendered order.</summary>
    internal static Dictionary<string, string> Sections(string markdown)
    {
        var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var current = FrontMatter;
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal)) inFence = !inFence;
            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal)) current = line[3..].Trim();
            if (!sections.TryGetValue(current, out var text)) sections[current] = text = new StringBuilder();
            text.Append(line).Append('\n');
        }
        return sections.Where(s => s.Value.ToString().Trim().Length > 0)
            .ToDictionary(s => s.Key, s => s.Value.ToString().TrimEnd('\n') + "\n", StringComparer.Ordinal);
    }

    private static string Unified(string section, string before, string after)
    {
        var lines = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false, ignoreCase: false, new LineChunker()).Lines;
        var text = new StringBuilder().Append("--- a/").Append(section).Append('\n').Append("+++ b/").Append(section).Append('\n');
        var changed = lines.Select((l, i) => (l, i)).Where(x => x.l.Type != ChangeType.Unchanged).Select(x => x.i).ToList();
        var start = 0;
        while (start < changed.Count)
        {
            var end = start;
            while (end + 1 < changed.Count && changed[end + 1] - changed[end] <= 2 * Context) end++;
            var from = Math.Max(0, changed[start] - Context);
            var to = Math.Min(lines.Count - 1, changed[end] + Context);
            var hunk = lines.Skip(from).Take(to - from + 1).ToList();
            var oldStart = lines.Take(from).Count(l => l.Type != ChangeType.Inserted) + 1;
            var newStart = lines.Take(from).Count(l => l.Type != ChangeType.Deleted) + 1;
            text.Append($"@@ -{oldStart},{hunk.Count(l => l.Type != ChangeType.Inserted)} +{newStart},{hunk.Count(l => l.Type != ChangeType.Deleted)} @@\n");
            foreach (var line in hunk)
            {
                text.Append(line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }).Append(line.Text).Append('\n');
            }
            start = end + 1;
        }
        return text.ToString();
    }
}
