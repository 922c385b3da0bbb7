namespace ComponentCatalog.Markdown;

/// <summary>Column arithmetic on single source lines (tabs stop every 4 columns, as in CommonMark).</summary>
internal static class SourceLines
{
    /// <summary>Removes up to <paramref name="columns"/> columns of leading whitespace; a tab that straddles the cut becomes spaces.</summary>
    public static string SkipIndent(string line, int columns)
    {
        var column = 0;
        var i = 0;
        while (i < line.Length && column < columns)
        {
            if (line[i] == ' ')
            {
                column++;
                i++;
            }
            else if (line[i] == '\t')
            {
                var next = column + 4 - (column % 4);
                if (next > columns)
                {
                    return new string(' ', next - columns) + line[(i + 1)..];
                }
                column = next;
                i++;
            }
            else
            {
                break;
            }
        }
        return line[i..];
    }

    /// <summary>The content column of a list item whose bullet or number starts <paramref name="line"/>.</summary>
    public static int ContentColumn(string line)
    {
        var column = 0;
        var i = 0;
        while (i < line.Length && line[i] == ' ' && column < 3)
        {
            i++;
            column++;
        }
        if (i < line.Length && line[i] is '-' or '*' or '+')
        {
            i++;
            column++;
        }
        else
        {
            while (i < line.Length && char.IsAsciiDigit(line[i]))
            {
                i++;
                column++;
            }
            if (i < line.Length && line[i] is '.' or ')')
            {
                i++;
                column++;
            }
        }

        var markerEnd = column;
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            column = line[i] == '\t' ? column + 4 - (column % 4) : column + 1;
            i++;
        }
        var spaces = column - markerEnd;
        return i >= line.Length || spaces == 0 || spaces >= 5 ? markerEnd + 1 : column;
    }

    /// <summary>The text of <paramref name="line"/> from a column on (a straddling tab becomes spaces).</summary>
    public static string FromColumn(string line, int columns)
    {
        var column = 0;
        var i = 0;
        while (i < line.Length && column < columns)
        {
            var next = line[i] == '\t' ? column + 4 - (column % 4) : column + 1;
            if (next > columns)
            {
                return new string(' ', next - columns) + line[(i + 1)..];
            }
            column = next;
            i++;
        }
        return line[i..];
    }

    /// <summary>"a" and "b" as two lines, either may be empty.</summary>
    public static string JoinLines(string first, string rest) =>
        first.Length == 0 ? rest : rest.Length == 0 ? first : first + "\n" + rest;
}
