using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Search;

/// <summary>
/// Opaque continuation tokens: the cursor plus the query's fingerprint, signed with HMAC-SHA256, so a
/// forged token, a tampered one, or one from another query is a 400 — not a silent wrong page.
/// Every instance of a deployment derives the same key, so a token works on any of them.
/// </summary>
internal sealed class PagingToken(byte[] key)
{
    private const string Version = "1";

    public string Create(SearchQuery query, SearchCursor cursor)
    {
        var payload = string.Join('\n', Version, cursor.Rank?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty, cursor.Name);
        var bytes = Encoding.UTF8.GetBytes(payload);
        var mac = Sign(bytes, query);
        return Base64Url(bytes) + "." + Base64Url(mac);
    }

    public SearchCursor Parse(string token, SearchQuery query)
    {
        var parts = token.Split('.');
        if (parts.Length != 2 || token.Length > 1024 || !TryDecode(parts[0], out var bytes) || !TryDecode(parts[1], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, Sign(bytes, query)))
        {
            throw Invalid();
        }

        // A valid MAC proves only that this deployment's key signed it: the content is still checked field by field.
        var fields = Encoding.UTF8.GetString(bytes).Split('\n');
        if (fields.Length != 3 || fields[0] != Version || !Catalog.Names.IsValid(fields[2]))
        {
            throw Invalid();
        }
        double? rank = null;
        if (fields[1].Length > 0)
        {
            if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
            {
                throw Invalid();
            }
            rank = parsed;
        }
        return new SearchCursor(rank, fields[2]);
    }

    private byte[] Sign(byte[] payload, SearchQuery query) =>
        HMACSHA256.HashData(key, payload.Concat(new byte[] { 0 }).Concat(Encoding.UTF8.GetBytes(query.Fingerprint())).ToArray());

    private static ValidationException Invalid() =>
        new("continuationToken", "This continuation token is not valid for this query; start again without it.");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        return false;
    }
}
