namespace ComponentCatalog.Markdown;

/// <summary>
/// Where in a Markdown source a finding points: the line of the front-matter key, the sub-item label
/// (<c>- Internal Modules:</c>) or the section heading its <see cref="Model.Finding.Section"/> names; line 1
/// when the field is absent (a missing section, a missing owner). Used by the CLI's file:line output and SARIF.
/// </summary>
internal static class FindingLines
{
    /// <summary>1-based line of <paramref name="section"/> (a JSON path such as <c>caching.invalidationStrategy</c>).</summary>
    public static int LineOf(string markdown, string section)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var path = section.Split('.', '[');
        var field = path[0];

        var bodyStart = 0;
        if (lines.Length > 0 && lines[0].TrimEnd() == "---")
        {
            var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
            if (end > 0)
            {
                bodyStart = end + 1;
                var key = Array.FindIndex(lines, 1, end - 1, l => l.StartsWith(field + ":", StringComparison.Ordinal));
                if (key > 0)
                {
                    return key + 1;
                }
            }
        }

        var headings = Headings(lines, bodyStart);
        var heading = headings.FindIndex(h => h.Field == field);
        if (heading < 0)
        {
            return 1;
        }
        var start = headings[heading].Line;
        var stop = heading + 1 < headings.Count ? headings[heading + 1].Line : lines.Length;
        if (path.Length > 1 && TemplateSections.Key(path[1]) is { Length: > 0 } label)
        {
            for (var i = start + 1; i < stop; i++)
            {
                if (TemplateSections.Key(lines[i]).StartsWith(label, StringComparison.Ordinal))
                {
                    return i + 1;
                }
            }
        }
        return start + 1;
    }

    /// <summary>The template headings outside code fences, in order, with their 0-based line.</summary>
    private static List<(int Line, string Field)> Headings(string[] lines, int from)
    {
        var headings = new List<(int, string)>();
        string? fence = null;
        for (var i = from; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (fence is not null)
            {
                if (line.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = line[..(line.Length - line.TrimStart(line[0]).Length)];
                continue;
            }
            if (line.StartsWith('#') && TemplateSections.Find(line.TrimStart('#')) is { } info)
            {
                headings.Add((i, info.Field));
            }
        }
        return headings;
    }
}
