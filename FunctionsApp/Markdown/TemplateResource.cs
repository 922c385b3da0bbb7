using System.Reflection;

namespace ComponentCatalog.Markdown;

/// <summary>The blank template (shared/template/component-doc-template.md), embedded in the assembly.</summary>
internal static class TemplateResource
{
    private const string ResourceName = "ComponentCatalog.Markdown.component-doc-template.md";

    private static readonly Lazy<byte[]> Bytes = new(Load);

    /// <summary>The template file's bytes, exactly as committed.</summary>
    public static ReadOnlyMemory<byte> Utf8 => Bytes.Value;

    public static string Text { get; } = System.Text.Encoding.UTF8.GetString(Bytes.Value);

    private static byte[] Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
