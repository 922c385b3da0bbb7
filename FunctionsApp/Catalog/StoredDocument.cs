using System.Text.Json;
using ComponentCatalog.Model;

namespace ComponentCatalog.Catalog;

/// <summary>
/// A document as stored, with the ETag of its revision. It holds the stored JSON and the typed document and
/// makes whichever is missing on first use, so a read answered in JSON never deserialises and re-serialises.
/// </summary>
internal sealed class StoredDocument
{
    private ComponentDocument? _document;
    private byte[]? _json;

    public StoredDocument(ComponentDocument document, string etag, byte[]? json = null)
    {
        _document = document;
        _json = json;
        ETag = etag;
    }

    private StoredDocument(byte[] json, string etag)
    {
        _json = json;
        ETag = etag;
    }

    /// <summary>From the stored bytes, which are the API's JSON of the document (same serialiser).</summary>
    public static StoredDocument FromJson(byte[] json, string etag) => new(json, etag);

    public string ETag { get; }

    public ComponentDocument Document => _document ??= JsonSerializer.Deserialize<ComponentDocument>(_json!, CatalogJson.Options)!;

    /// <summary>The document as <c>application/json</c> bytes.</summary>
    public byte[] Json => _json ??= JsonSerializer.SerializeToUtf8Bytes(_document!, CatalogJson.Options);
}
