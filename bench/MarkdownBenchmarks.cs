using BenchmarkDotNet.Attributes;
using ComponentCatalog.Markdown;

namespace Bench;

/// <summary>In-process: parse + render of a 50 KB document, against Markdig's own parse as the floor.</summary>
[MemoryDiagnoser]
public class MarkdownBenchmarks
{
    private readonly MarkdownTemplate _template = new();
    private string _markdown = string.Empty;

    public static int Bytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _markdown = Synthetic.Markdown(42, 100, targetBytes: 50_000);
        Bytes = System.Text.Encoding.UTF8.GetByteCount(_markdown);
    }

    [Benchmark(Baseline = true)]
    public object MarkdigParse() => Markdig.Markdown.Parse(_markdown);

    [Benchmark]
    public string ParseAndRender() => _template.Render(_template.Parse(_markdown).Document);
}
