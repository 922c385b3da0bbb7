using System.Security.Cryptography;
using System.Text;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Storage;

namespace ComponentCatalog.Auth;

/// <summary>What an admin asks for: <c>POST /admin/api-keys</c>.</summary>
internal sealed record ApiKeyRequest(string? Name, IReadOnlyList<string>? Roles, IReadOnlyList<string>? Teams, DateTimeOffset? ExpiresAt);

/// <summary>A key as listed: everything but the secret.</summary>
internal sealed record ApiKeyInfo(
    string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Teams,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string Status);

/// <summary>The answer to a create: the key itself, shown this once.</summary>
internal sealed record CreatedApiKey(string Id, string Key, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Teams, DateTimeOffset ExpiresAt);

/// <summary>
/// API keys for CI pushers. A key is <c>cck_{id}_{secret}</c>: 12 random bytes of id (the row key, public) and
/// 32 random bytes of secret, hex. Only the SHA-256 of the whole key is stored — a hash without salt or stretching
/// is enough for 256 random bits — and compared in constant time. Lookups are not cached, so a revocation
/// holds on every instance from the next request on.
/// </summary>
internal sealed class ApiKeyService(ApiKeyStore store, TimeProvider clock)
{
    public const string Prefix = "cck_";
    public const int MaxNameLength = 100;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);
    private const int IdBytes = 12;
    private const int SecretBytes = 32;
    private static readonly int KeyLength = Prefix.Length + (IdBytes * 2) + 1 + (SecretBytes * 2);

    public async Task<CreatedApiKey> CreateAsync(ApiKeyRequest request, CatalogUser creator, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var (name, roles, teams, expiresAt) = Validate(request, now);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var key = $"{Prefix}{id}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes))}";
        await store.AddAsync(new ApiKeyRecord(id, name, Hash(key), roles, teams, now, creator.Id, expiresAt, null), ct);
        return new CreatedApiKey(id, key, name, roles, teams, expiresAt);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var records = await store.ListAsync(ct);
        return [.. records.OrderBy(r => r.CreatedAt).Select(r => new ApiKeyInfo(
            r.Id, r.Name, r.Roles, r.Teams, r.CreatedAt, r.CreatedBy, r.ExpiresAt, r.RevokedAt, Status(r, now)))];
    }

    public async Task RevokeAsync(string id, CancellationToken ct = default)
    {
        if (!IsId(id) || !await store.RevokeAsync(id, clock.GetUtcNow(), ct))
        {
            throw new NotFoundException($"There is no API key '{id}'.");
        }
    }

    /// <summary>The key's principal, or null when the key is malformed, unknown, wrong, revoked or expired.</summary>
    public async Task<CatalogUser?> AuthenticateAsync(string key, CancellationToken ct = default)
    {
        if (!TryParseId(key, out var id))
        {
            return null;
        }

        var record = await store.GetAsync(id, ct);
        if (record is null
            || !CryptographicOperations.FixedTimeEquals(Hash(key), record.Hash)
            || Status(record, clock.GetUtcNow()) != "active")
        {
            return null;
        }

        return new CatalogUser($"apikey:{record.Id}", CatalogClaims.StrongestRole(record.Roles), record.Teams.ToHashSet(StringComparer.Ordinal))
        {
            ViaApiKey = true,
        };
    }

    internal static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Status(ApiKeyRecord record, DateTimeOffset now) =>
        record.RevokedAt is not null ? "revoked" : now >= record.ExpiresAt ? "expired" : "active";

    private static bool TryParseId(string key, out string id)
    {
        id = string.Empty;
        if (key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + (IdBytes * 2)] != '_')
        {
            return false;
        }

        id = key.Substring(Prefix.Length, IdBytes * 2);
        return IsId(id) && key.AsSpan(Prefix.Length + (IdBytes * 2) + 1).ContainsAnyExcept("0123456789abcdef") is false;
    }

    private static bool IsId(string id) => id.Length == IdBytes * 2 && !id.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static (string Name, string[] Roles, string[] Teams, DateTimeOffset ExpiresAt) Validate(ApiKeyRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"Give the key a name of 1–{MaxNameLength} characters."];
        }

        var roles = request.Roles?.Distinct(StringComparer.Ordinal).ToArray() ?? [];
        if (roles.Length == 0 || roles.Any(r => CatalogClaims.ParseRole(r) == CatalogRole.None))
        {
            errors["roles"] = [$"Give one or more of: {string.Join(", ", CatalogClaims.AllRoles)}."];
        }

        var teams = request.Teams?.Distinct(StringComparer.Ordinal).ToArray() ?? [];
        if (teams.Any(t => !Names.IsValid(t)))
        {
            errors["teams"] = ["Teams are owner names: lowercase a-z, 0-9 and '-', 1–63 characters."];
        }

        if (request.ExpiresAt is not { } expiresAt || expiresAt <= now || expiresAt > now + MaxLifetime)
        {
            errors["expiresAt"] = [$"Give an expiry in the future, at most {MaxLifetime.TotalDays:0} days away."];
            expiresAt = default;
        }

        return errors.Count > 0
            ? throw new ValidationException(errors)
            : (name, roles, teams, expiresAt.ToUniversalTime());
    }
}
