using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>Reads request bodies within a size limit and checks their media type.</summary>
internal static partial class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The media type without parameters, lower-cased; null when absent or unparsable.</summary>
    public static string? MediaType(this HttpRequestData request) =>
        request.Headers.TryGetValues("Content-Type", out var values)
        && MediaTypeHeaderValue.TryParse(values.First(), out var parsed)
            ? parsed.MediaType?.ToLowerInvariant()
            : null;

    /// <summary>
    /// The body as UTF-8 text. 413 when it is larger than <paramref name="limitBytes"/> — from
    /// Content-Length before reading, or after reading one byte past the limit; 400 when empty
    /// or not UTF-8.
    /// </summary>
    public static async Task<string> ReadTextAsync(this HttpRequestData request, long limitBytes, CancellationToken ct = default)
    {
        if (request.Headers.TryGetValues("Content-Length", out var lengths)
            && long.TryParse(lengths.First(), out var declared) && declared > limitBytes)
        {
            throw new PayloadTooLargeException(limitBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limitBytes)
            {
                throw new PayloadTooLargeException(limitBytes);
            }
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new ValidationException("body", "The request body is empty.");
        }

        return DecodeUtf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>
    /// Strict UTF-8 to text, a leading byte order mark dropped. Not UTF-8 (a stray byte, an overlong form, a
    /// surrogate, a sequence cut short) → 400 naming the byte offset of the first bad sequence.
    /// </summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            var offset = InvalidUtf8Offset(bytes);
            throw new ValidationException("body", $"The request body is not valid UTF-8: the bytes at offset {offset} are not a UTF-8 sequence.");
        }

        var text = StrictUtf8.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>The byte offset of the first sequence that is not UTF-8; -1 when there is none.</summary>
    public static int InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return -1;
    }

    /// <summary>Deserialises a client JSON body with the strict rules (unknown fields, duplicates, depth).</summary>
    public static T DeserializeStrict<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Model.CatalogJson.Strict)
                   ?? throw new ValidationException("body", "The request body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw InvalidJson(e);
        }
        catch (InvalidOperationException e)
        {
            throw new ValidationException("body", $"The JSON body could not be read: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>A JSON error as a validation problem naming the path, without parser internals.</summary>
    public static ValidationException InvalidJson(JsonException e)
    {
        var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
        return new ValidationException(field, $"The JSON body is not valid: {FirstSentence(e.Message)}");
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return TypeNames().Replace(text, string.Empty).Trim();
    }

    /// <summary>Namespaces of .NET and of this app, so no internal type name reaches a client.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:System|ComponentCatalog|Microsoft)\.(?:\w+\.)*")]
    private static partial System.Text.RegularExpressions.Regex TypeNames();
}
