using System.Text;
using System.Text.Json;
using DevHost.Settings;
using DevHost.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class DevTokensTests
{
    private static readonly DevTokenSettings Settings = new("a-test-signing-key-that-is-long-enough-for-hs256", "https://issuer.test", "api://audience");

    [TestMethod]
    public async Task Create_WriterWithTeams_ValidatesWithKeyIssuerAudience()
    {
        var now = DateTimeOffset.UtcNow;
        var token = DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Writer"], Teams = ["payments", "x"], Subject = "alice", Lifetime = TimeSpan.FromMinutes(60) }, Settings, now);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Settings.Issuer,
            ValidAudience = Settings.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Settings.SigningKey)),
        });

        Assert.IsTrue(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.AreEqual("alice", jwt.Subject);
        Assert.AreEqual("HS256", jwt.Alg);
        Assert.AreEqual("JWT", jwt.Typ);
        Assert.AreEqual(now.ToUnixTimeSeconds() + 3600, jwt.GetPayloadValue<long>("exp"));
        Assert.AreEqual(now.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.AreEqual(now.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("nbf"));
    }

    [TestMethod]
    public void Create_SingleRoleNoTeams_ClaimsAreArrays()
    {
        var token = DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Reader"] }, Settings);

        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
        var roles = payload.RootElement.GetProperty("roles");
        var teams = payload.RootElement.GetProperty("teams");
        Assert.AreEqual(JsonValueKind.Array, roles.ValueKind);
        Assert.AreEqual("Catalog.Reader", roles[0].GetString());
        Assert.AreEqual(JsonValueKind.Array, teams.ValueKind);
        Assert.AreEqual(0, teams.GetArrayLength());
        Assert.AreEqual("dev-user", payload.RootElement.GetProperty("sub").GetString());
        Assert.AreEqual(Settings.Issuer, payload.RootElement.GetProperty("iss").GetString());
        Assert.AreEqual(Settings.Audience, payload.RootElement.GetProperty("aud").GetString());
    }

    [TestMethod]
    public async Task Create_OtherKey_FailsValidation()
    {
        var token = DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Reader"] }, Settings);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Settings.Issuer,
            ValidAudience = Settings.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-also-long-enough-for-hs256")),
        });

        Assert.IsFalse(result.IsValid);
    }

    [TestMethod]
    public void SettingsLoad_EnvironmentOverridesLocalSettings()
    {
        var local = LocalSettings.Parse("""{"Values":{"Auth__DevSigningKey":"from-file","Auth__Issuer":"iss-file","Auth__Audience":"aud-file"}}""");
        var environment = new Dictionary<string, string> { ["Auth__Issuer"] = "iss-env" };

        var settings = DevTokenSettings.Load(environment, local);

        Assert.AreEqual(new DevTokenSettings("from-file", "iss-env", "aud-file"), settings);
    }

    [TestMethod]
    public void SettingsLoad_MissingKey_ThrowsNamingTheSetting()
    {
        var local = LocalSettings.Parse("""{"Values":{"Auth__Issuer":"i","Auth__Audience":"a"}}""");

        var exception = Assert.ThrowsExactly<InvalidOperationException>(() => DevTokenSettings.Load(new Dictionary<string, string>(), local));

        Assert.Contains(DevTokenSettings.SigningKeySetting, exception.Message);
    }

    [TestMethod]
    public void FromRepository_SampleSettings_CreatesToken()
    {
        var token = DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Admin"] });

        Assert.HasCount(3, token.Split('.'));
    }
}
