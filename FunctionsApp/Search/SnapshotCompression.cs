using System.Buffers.Binary;
using System.IO.Compression;

namespace ComponentCatalog.Search;

/// <summary>
/// How each index snapshot part is compressed: its raw length (4 bytes) then the part in raw deflate, optimal level —
/// measured against gzip, brotli and the fastest level in docs/adr/0071-index-memory-and-snapshot.md (a third
/// smaller than fastest and decodes faster; brotli decodes 3x slower).
/// </summary>
internal static class SnapshotCompression
{
    /// <summary>A part larger than this is not one this build wrote (parts aim at 1 MiB).</summary>
    private const int MaxRawBytes = 256 << 20;

    public static byte[] Compress(byte[] raw, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream(raw.Length / 3 + 16);
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, raw.Length);
        output.Write(header);
        using (var deflate = new DeflateStream(output, level, leaveOpen: true))
        {
            deflate.Write(raw);
        }
        return output.ToArray();
    }

    /// <summary>The raw part; <see cref="InvalidDataException"/> when the bytes are not a compressed part.</summary>
    public static byte[] Decompress(ReadOnlyMemory<byte> compressed)
    {
        if (compressed.Length < 4) throw new InvalidDataException("A snapshot part without its length.");
        var length = BinaryPrimitives.ReadInt32LittleEndian(compressed.Span);
        if (length is < 0 or > MaxRawBytes) throw new InvalidDataException("A snapshot part of an impossible length.");
        var raw = new byte[length];
        using var deflate = new DeflateStream(new ReadOnlyMemoryStream(compressed[4..]), CompressionMode.Decompress);
        try
        {
            deflate.ReadExactly(raw);
            if (deflate.ReadByte() >= 0) throw new InvalidDataException("A snapshot part longer than its length.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("A snapshot part shorter than its length.", e);
        }
        return raw;
    }

    /// <summary>A read-only stream over memory without copying it.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
