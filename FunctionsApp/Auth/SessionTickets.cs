using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComponentCatalog.Catalog;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Auth;

/// <summary>What the session cookie holds: only what authorization needs, as the sign-in's claims mapped it.</summary>
internal sealed record SessionTicket(string Id, string? Name, string Role, IReadOnlyList<string> Teams, long IssuedAt, long ExpiresAt);

/// <summary>
/// Encrypts and authenticates the website's cookies (ADR 0021): AES-256-GCM with a 96-bit random nonce, the key
/// derived per purpose with HKDF-SHA256 from <see cref="WebSignInOptions.CookieKey"/>, the purpose also bound as
/// associated data, so a sign-in state cookie can never be read as a session. Format:
/// <c>s1.</c> + base64url(nonce ‖ tag ‖ ciphertext of UTF-8 JSON). New cookies use the current key; cookies made
/// with <see cref="WebSignInOptions.PreviousCookieKey"/> are still read until they expire (rotation).
/// </summary>
internal sealed class SessionTickets
{
    public const string Prefix = "s1.";
    public const string SessionPurpose = "session";
    public const string StatePurpose = "signin-state";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Per purpose, the derived keys: the current one first.</summary>
    private readonly Dictionary<string, byte[][]> _keys;
    private readonly TimeProvider _clock;

    public SessionTickets(WebSignInOptions options, TimeProvider clock)
    {
        _clock = clock;
        string[] secrets = options.Enabled
            ? [.. new[] { options.CookieKey, options.PreviousCookieKey }.OfType<string>().Where(k => k.Length > 0)]
            : [];
        _keys = new[] { SessionPurpose, StatePurpose }.ToDictionary(p => p, p => secrets.Select(s => Key(s, p)).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Whether cookies can be made and read (the app's own sign-in is configured).</summary>
    public bool Enabled => _keys[SessionPurpose].Length > 0;

    /// <summary>Whether a cookie value is in this format (a dev token, a JWT, is not).</summary>
    public static bool IsTicket(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Protect<T>(T payload, string purpose)
    {
        var key = _keys[purpose][0];
        var plain = JsonSerializer.SerializeToUtf8Bytes(payload, Json);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return Prefix + Base64UrlEncoder.Encode(sealedBytes);
    }

    /// <summary>The payload, or null when the value is not one of ours: malformed, tampered, another purpose, an unknown key.</summary>
    public T? Unprotect<T>(string value, string purpose) where T : class
    {
        if (!Enabled || !IsTicket(value) || value.Length > 8 * 1024)
        {
            return null;
        }
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64UrlEncoder.DecodeBytes(value[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length <= NonceSize + TagSize)
        {
            return null;
        }
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        foreach (var key in _keys[purpose])
        {
            using var aes = new AesGcm(key, TagSize);
            try
            {
                aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
            }
            catch (AuthenticationTagMismatchException)
            {
                continue;
            }
            try
            {
                return JsonSerializer.Deserialize<T>(plain, Json);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The session cookie's value for <paramref name="ticket"/>.</summary>
    public string Issue(SessionTicket ticket) => Protect(ticket, SessionPurpose);

    /// <summary>The signed-in user of a session cookie, or null when it is not valid (anymore).</summary>
    public CatalogUser? Read(string value)
    {
        var ticket = Unprotect<SessionTicket>(value, SessionPurpose);
        if (ticket is null || string.IsNullOrEmpty(ticket.Id) || ticket.ExpiresAt <= _clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }
        return new CatalogUser(ticket.Id, CatalogClaims.ParseRole(ticket.Role), (ticket.Teams ?? []).ToHashSet(StringComparer.Ordinal))
        {
            DisplayName = ticket.Name,
        };
    }

    private static byte[] Key(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Encoding.UTF8.GetBytes("catalog-cookie/" + purpose));
}
