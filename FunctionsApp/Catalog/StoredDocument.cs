using System.IO.Compression;
using System.Text.Json;
using ComponentCatalog.Model;

namespace ComponentCatalog.Catalog;

/// <summary>
/// A document as stored, with the ETag of its revision. It holds whichever of the stored gzip'd JSON, the JSON and
/// the typed document it was made from and makes the others on first use, so a read answered in JSON never
/// deserialises, and a read answered with <c>Content-Encoding: gzip</c> sends the stored bytes as they are.
/// </summary>
internal sealed class StoredDocument
{
    private readonly Compressed _compressed;
    private ComponentDocument? _document;
    private byte[]? _json;

    public StoredDocument(ComponentDocument document, string etag, byte[]? json = null, byte[]? gzip = null)
    {
        _document = document;
        _json = json;
        _compressed = new Compressed(gzip);
        ETag = etag;
    }

    private StoredDocument(Compressed compressed, string etag)
    {
        _compressed = compressed;
        ETag = etag;
    }

    /// <summary>
    /// From the stored bytes: the gzip'd API JSON of the document (same serialiser). Another document made from the
    /// same <see cref="Compressed"/> shares its compressed forms but not what it decompresses.
    /// </summary>
    public static StoredDocument FromGzip(byte[] gzip, string etag) => new(new Compressed(gzip), etag);

    internal static StoredDocument FromCompressed(Compressed compressed, string etag) => new(compressed, etag);

    public string ETag { get; }

    public ComponentDocument Document => _document ??= JsonSerializer.Deserialize<ComponentDocument>(Json, CatalogJson.Options)!;

    /// <summary>The document as <c>application/json</c> bytes.</summary>
    public byte[] Json => _json ??= _compressed.Json is { } gzip ? Decompress(gzip) : JsonSerializer.SerializeToUtf8Bytes(_document!, CatalogJson.Options);

    /// <summary>The <c>application/json</c> bytes gzip'd: the stored form, compressed here only when not read from storage.</summary>
    public byte[] Gzip => _compressed.Json ??= Storage.Gzip.Compress(Json);

    /// <summary>What a cache keeps of this document: its compressed forms only.</summary>
    internal Compressed Forms
    {
        get
        {
            _ = Gzip;
            return _compressed;
        }
    }

    /// <summary>The Markdown representation gzip'd, rendered and compressed once per cached revision.</summary>
    public byte[] MarkdownGzip(Func<ComponentDocument, string> render) =>
        _compressed.Markdown ??= Storage.Gzip.Compress(System.Text.Encoding.UTF8.GetBytes(render(Document)));

    private static byte[] Decompress(byte[] gzip)
    {
        using var input = new MemoryStream(gzip);
        using var stream = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(gzip.Length * 4);
        stream.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The gzip'd representations of one revision (its JSON as stored; its Markdown once rendered).</summary>
    internal sealed class Compressed(byte[]? json)
    {
        public byte[]? Json { get; set; } = json;

        public byte[]? Markdown { get; set; }
    }
}
