using System.Text;

namespace Bench;

/// <summary>Deterministic synthetic component docs in the template's Markdown, about 12 KB each.</summary>
internal static class Synthetic
{
    public static readonly string[] Teams = [.. Enumerable.Range(0, 10).Select(i => $"team-{i:D2}")];
    public static readonly string[] Tags = [.. Enumerable.Range(0, 30).Select(i => $"tag-{i:D2}")];
    public static readonly string[] Libraries = [.. Enumerable.Range(0, 40).Select(i => $"Library{i:D2}")];
    private static readonly string[] Words = BuildWords();

    public static string Name(int i) => $"component-{i:D6}";

    public static string Markdown(int i, int total, int targetBytes = 12_000)
    {
        var random = new Random(i);
        string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)])) + ".";
        var text = new StringBuilder();
        text.Append("---\nname: ").Append(Name(i)).Append("\nowner: ").Append(Teams[i % Teams.Length]).Append("\ntags: [")
            .Append(string.Join(", ", Enumerable.Range(0, 3 + i % 3).Select(k => Tags[(i + k * 7) % Tags.Length]).Distinct()))
            .Append("]\nlifecycle: ").Append((i % 3) switch { 0 => "production", 1 => "experimental", _ => "deprecated" }).Append("\n---\n");
        text.Append("## Component Name\nComponent ").Append(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(Words[i % Words.Length]).Append("\n\n");
        text.Append("## File Location\n`backend/services/c").Append(i).Append("`\n\n");
        text.Append("## Description\n").Append(Sentence(30)).Append(' ');
        while (text.Length < targetBytes / 4) text.Append(Sentence(12)).Append(' ');
        text.Append("\n\n");
        text.Append("## Dependencies\n- External Libraries:\n");
        foreach (var l in Enumerable.Range(0, 3).Select(k => Libraries[(i * 3 + k) % Libraries.Length]).Distinct()) text.Append("  - ").Append(l).Append(" - ").Append(Sentence(5)).Append('\n');
        text.Append("- Internal Modules:\n");
        foreach (var m in new[] { (i + 1) % total, (i * 7 + 3) % total }.Distinct().Where(m => m != i)) text.Append("  - ").Append(Name(m)).Append(" - ").Append(Sentence(4)).Append('\n');
        text.Append("\n## API Endpoints\n```csharp\napp.MapGet(\"/c").Append(i).Append("/{id}\", Get);\n```\n\n");
        text.Append("## Caching\n- Cache Keys: c").Append(i).Append(":{id}\n- Cache Duration: 60 s\n- Invalidation Strategy: on write\n\n");
        text.Append("## Performance Considerations\n- Query Optimization: ");
        while (text.Length < targetBytes / 2) text.Append(Sentence(12)).Append(' ');
        // One word that appears in this document only, once, deep in a prose section: the search-coverage check.
        text.Append(Marker(i)).Append(' ').Append(Sentence(8)).Append("\n\n");
        text.Append("## Notes\n- Implementation Details: ");
        while (text.Length < targetBytes * 3 / 4) text.Append(Sentence(12)).Append(' ');
        text.Append("\n- Known Issues: none\n- Future Improvements: ").Append(Sentence(6)).Append("\n\n");
        text.Append("## Operational Runbook\n");
        while (text.Length < targetBytes - 100) text.Append(Sentence(12)).Append(' ');
        text.Append('\n');
        return text.ToString();
    }

    public static string Word(int i) => Words[i % Words.Length];

    /// <summary>A word found in document <paramref name="i"/> only (letters, so the tokenizer keeps it whole).</summary>
    public static string Marker(int i) => "zq" + string.Concat(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).Select(c => (char)('a' + (c - '0')))) + "marker";

    private static string[] BuildWords()
    {
        var random = new Random(7);
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        return [.. Enumerable.Range(0, 3000).Select(_ => new string(Enumerable.Range(0, random.Next(4, 10)).Select(_ => letters[random.Next(letters.Length)]).ToArray())).Distinct()];
    }
}
