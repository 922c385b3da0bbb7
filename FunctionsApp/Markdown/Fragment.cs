using Markdig;
using Markdig.Syntax;

namespace ComponentCatalog.Markdown;

/// <summary>
/// A piece of Markdown (a whole body, a section, a list item's content) parsed with Markdig for its block
/// structure, with its source lines so content can be taken verbatim. <see cref="BaseLine"/> is the 1-based line
/// of its first line in the document the client sent, for messages.
/// </summary>
internal sealed class Fragment
{
    private readonly int[] _lineStarts;

    private Fragment(string text, MarkdownDocument document, int baseLine)
    {
        Text = text;
        Document = document;
        BaseLine = baseLine;
        Lines = text.Split('\n');
        _lineStarts = new int[Lines.Length];
        for (int i = 1, position = 0; i < Lines.Length; i++)
        {
            position += Lines[i - 1].Length + 1;
            _lineStarts[i] = position;
        }
    }

    public string Text { get; }

    public string[] Lines { get; }

    public MarkdownDocument Document { get; }

    public int BaseLine { get; }

    /// <summary>Parses <paramref name="text"/> (already <c>\n</c>-only); throws <see cref="MarkdownTooDeepException"/>.</summary>
    public static Fragment Parse(string text, MarkdownPipeline pipeline, int baseLine)
    {
        try
        {
            return new Fragment(text, Markdig.Markdown.Parse(text, pipeline), baseLine);
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested past MaximumNestingDepth with an ArgumentException.
            throw new MarkdownTooDeepException();
        }
    }

    /// <summary>The 0-based line a source position is on.</summary>
    public int LineOf(int position)
    {
        var index = Array.BinarySearch(_lineStarts, Math.Clamp(position, 0, Math.Max(0, Text.Length - 1)));
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The first line of a block (for a setext heading, its text, not its underline).</summary>
    public int FirstLine(Block block) => block.Span.Start >= 0 && block.Span.End >= block.Span.Start ? Math.Min(block.Line, LineOf(block.Span.Start)) : block.Line;

    /// <summary>The last line of a block, trailing blank lines excluded.</summary>
    public int LastLine(Block block)
    {
        var last = block.Span.End >= block.Span.Start ? LineOf(block.Span.End) : block.Line;
        while (last > FirstLine(block) && string.IsNullOrWhiteSpace(Lines[last]))
        {
            last--;
        }
        return Math.Max(last, FirstLine(block));
    }

    public string Join(int first, int last) =>
        first > last ? string.Empty : string.Join('\n', Lines, first, last - first + 1);

    /// <summary>The 1-based line in the client's document.</summary>
    public int DocumentLine(int line) => BaseLine + line;
}

internal sealed class MarkdownTooDeepException() : Exception("The Markdown nests too deeply.");
