using System.IO.Compression;

namespace ComponentCatalog.Storage;

/// <summary>The compression of stored JSON (documents and summaries): gzip, fastest level.</summary>
internal static class Gzip
{
    public static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }
}
