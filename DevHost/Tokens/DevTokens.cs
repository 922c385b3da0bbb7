using System.Text;
using DevHost.Settings;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DevHost.Tokens;

/// <summary>What a local token says about its bearer.</summary>
internal sealed record DevTokenRequest
{
    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyList<string> Teams { get; init; } = [];

    public string Subject { get; init; } = "dev-user";

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(480);
}

/// <summary>The signing settings, read like the worker reads them.</summary>
internal sealed record DevTokenSettings(string SigningKey, string Issuer, string Audience)
{
    public const string SigningKeySetting = "Auth__DevSigningKey";
    public const string IssuerSetting = "Auth__Issuer";
    public const string AudienceSetting = "Auth__Audience";

    /// <summary>Environment variable first, then local.settings.json Values (or the sample's when that file is absent).</summary>
    public static DevTokenSettings Load(IReadOnlyDictionary<string, string> environment, LocalSettings settings)
    {
        string Read(string name) => WorkerEnvironment.Read(name, environment, settings) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The setting '{name}' is not set (environment or {LocalSettings.FileName}).");
        return new DevTokenSettings(Read(SigningKeySetting), Read(IssuerSetting), Read(AudienceSetting));
    }

    /// <summary>The settings of this repository's dev setup: the current environment and the root's local settings.</summary>
    public static DevTokenSettings FromRepository() => Load(WorkerEnvironment.CurrentProcess(), LocalSettings.Load(RepoPaths.Root));
}

/// <summary>HS256 JWTs for local runs, signed with the UTF-8 bytes of <c>Auth__DevSigningKey</c>.</summary>
internal static class DevTokens
{
    public static string Create(DevTokenRequest request, DevTokenSettings settings, DateTimeOffset? now = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + request.Lifetime,
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = request.Subject,
                ["roles"] = request.Roles.ToArray(),
                ["teams"] = request.Teams.ToArray(),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token signed with this repository's dev settings; what the end-to-end tests use.</summary>
    public static string Create(DevTokenRequest request) => Create(request, DevTokenSettings.FromRepository());
}
