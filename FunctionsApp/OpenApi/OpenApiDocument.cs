using System.Security.Cryptography;

namespace ComponentCatalog.OpenApi;

/// <summary>
/// The API's OpenAPI 3 description: <c>OpenApi/openapi.json</c>, embedded in the assembly and served verbatim.
/// Operations of the contract that no function implements yet carry <c>x-catalog-status: planned</c>; a test
/// checks the document against the functions' real routes.
/// </summary>
internal static class OpenApiDocument
{
    public const string ResourceName = "ComponentCatalog.OpenApi.openapi.json";

    private static readonly Lazy<(byte[] Bytes, string ETag)> Loaded = new(Load);

    /// <summary>The document's UTF-8 bytes.</summary>
    public static ReadOnlyMemory<byte> Utf8 => Loaded.Value.Bytes;

    /// <summary>A strong ETag of the content.</summary>
    public static string ETag => Loaded.Value.ETag;

    private static (byte[], string) Load()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return (bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
    }
}
