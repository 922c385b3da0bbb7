using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ComponentCatalog.Auth;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Tests.Support;

/// <summary>Makes JWTs the way an issuer (RS256, JWKS) or the dev host (HS256) would, and the classic forgeries.</summary>
internal sealed class Tokens : IDisposable
{
    public const string Issuer = "https://login.example.test/tenant/v2.0";
    public const string Audience = "api://component-catalog";
    public const string DevKey = "local-development-only-signing-key-not-a-secret-0123456789";

    private static readonly JsonWebTokenHandler Handler = new();

    public RSA Rsa { get; } = RSA.Create(2048);

    public RSA OtherRsa { get; } = RSA.Create(2048);

    public AuthOptions Options { get; } = new() { Issuer = Issuer, Audience = Audience, DevSigningKey = DevKey };

    /// <summary>The issuer's metadata as the validator would fetch it: one public key, kid <c>k1</c>.</summary>
    public BaseConfigurationManager Metadata()
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(new RsaSecurityKey(Rsa.ExportParameters(false)) { KeyId = "k1" });
        return new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
    }

    public static IHostEnvironment Environment(string name) => new TestEnvironment(name);

    public static Dictionary<string, object> Claims(string sub = "alice", string[]? roles = null, string[]? teams = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = sub };
        if (roles is not null)
        {
            claims["roles"] = roles;
        }
        if (teams is not null)
        {
            claims["teams"] = teams;
        }
        return claims;
    }

    public string Rs256(
        IDictionary<string, object>? claims = null, string issuer = Issuer, string audience = Audience,
        DateTime? notBefore = null, DateTime? expires = null, string? kid = "k1", RSA? signer = null)
    {
        var now = DateTime.UtcNow;
        var key = new RsaSecurityKey(signer ?? Rsa) { KeyId = kid };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddMinutes(10),
            Claims = claims ?? Claims(roles: ["Catalog.Writer"], teams: ["payments"]),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public static string Hs256(byte[] key, IDictionary<string, object>? claims = null, string? kid = null)
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.AddSeconds(-1),
            NotBefore = now.AddSeconds(-1),
            Expires = now.AddMinutes(10),
            Claims = claims ?? Claims(roles: ["Catalog.Admin"]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
        });
    }

    public static string DevToken(IDictionary<string, object>? claims = null) => Hs256(Encoding.UTF8.GetBytes(DevKey), claims);

    /// <summary>An unsigned token: <c>{"alg":"none"}</c>, empty signature.</summary>
    public static string AlgNone(IDictionary<string, object>? claims = null)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = "mallory",
            ["roles"] = new JsonArray("Catalog.Admin"),
            ["nbf"] = now.AddSeconds(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in claims ?? new Dictionary<string, object>())
        {
            payload[name] = JsonValue.Create(value.ToString());
        }
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.";
    }

    /// <summary>The token with its payload edited and the original signature kept.</summary>
    public static string Tampered(string token, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        edit(payload);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    public void Dispose()
    {
        Rsa.Dispose();
        OtherRsa.Dispose();
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "FunctionsApp";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
