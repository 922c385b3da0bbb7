using System.Text;
using System.Text.Json.Nodes;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Tests.Auth;

/// <summary>The JWT pitfall matrix against the validator, with a real RSA issuer key and the dev HS256 key.</summary>
[TestClass]
public sealed class JwtValidatorTests
{
    private readonly Tokens _tokens = new();
    private readonly FakeLogCollector _logs = new();

    [TestCleanup]
    public void Cleanup() => _tokens.Dispose();

    private JwtValidator Validator(string environment = "Production", bool metadata = true) =>
        new(_tokens.Options, Tokens.Environment(environment), metadata ? _tokens.Metadata() : null, new FakeLogger<JwtValidator>(_logs));

    [TestMethod]
    public async Task Validate_Rs256FromJwks_ReturnsUserWithStrongestRoleAndTeams()
    {
        var token = _tokens.Rs256(Tokens.Claims("alice", ["Catalog.Reader", "Catalog.Writer"], ["payments", "identity"]));

        var user = await Validator().ValidateAsync(token);

        Assert.IsNotNull(user);
        Assert.AreEqual("alice", user.Id);
        Assert.AreEqual(CatalogRole.Writer, user.Role);
        Assert.IsTrue(user.Teams.SetEquals(["payments", "identity"]));
    }

    [TestMethod]
    public async Task Validate_OidPresent_UsesOidAsId()
    {
        var claims = Tokens.Claims("pairwise-sub", ["Catalog.Reader"]);
        claims["oid"] = "00000000-0000-0000-0000-0000000000aa";

        var user = await Validator().ValidateAsync(_tokens.Rs256(claims));

        Assert.AreEqual("00000000-0000-0000-0000-0000000000aa", user?.Id);
    }

    [TestMethod]
    public async Task Validate_AlgNone_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync(Tokens.AlgNone()));
        Assert.IsNull(await Validator("Development").ValidateAsync(Tokens.AlgNone()));
    }

    [TestMethod]
    public async Task Validate_Hs256SignedWithRsaPublicKeyBytes_ReturnsNull()
    {
        var publicKeyPem = Encoding.UTF8.GetBytes(_tokens.Rsa.ExportSubjectPublicKeyInfoPem());
        var publicKeyDer = _tokens.Rsa.ExportSubjectPublicKeyInfo();

        Assert.IsNull(await Validator().ValidateAsync(Tokens.Hs256(publicKeyPem, kid: "k1")));
        Assert.IsNull(await Validator().ValidateAsync(Tokens.Hs256(publicKeyDer, kid: "k1")));
        Assert.IsNull(await Validator("Development").ValidateAsync(Tokens.Hs256(publicKeyPem, kid: "k1")));
    }

    [TestMethod]
    public async Task Validate_Rs256AcceptedOnlyViaJwks_WithoutMetadataReturnsNull()
    {
        var token = _tokens.Rs256();

        Assert.IsNotNull(await Validator().ValidateAsync(token));
        Assert.IsNull(await Validator("Development", metadata: false).ValidateAsync(token));
    }

    [TestMethod]
    public async Task Validate_DevTokenInDevelopment_ReturnsUser()
    {
        var token = Tokens.DevToken(Tokens.Claims("dev", ["Catalog.Admin"], ["payments"]));

        var user = await Validator("Development", metadata: false).ValidateAsync(token, fromLoopback: true);

        Assert.AreEqual(new CatalogRole?(CatalogRole.Admin), user?.Role);
        Assert.AreEqual("dev", user?.Id);
    }

    [TestMethod]
    [DataRow("WEBSITE_INSTANCE_ID")]
    [DataRow("WEBSITE_SITE_NAME")]
    public async Task Validate_DevTokenInAzureNamedDevelopment_ReturnsNullAndWarns(string marker)
    {
        var validator = new JwtValidator(_tokens.Options, Tokens.Environment("Development"), null, new FakeLogger<JwtValidator>(_logs), azureMarker: marker);

        var user = await validator.ValidateAsync(Tokens.DevToken(), fromLoopback: true);

        Assert.IsNull(user);
        Assert.IsFalse(validator.AcceptsDevTokens);
        Assert.IsTrue(_logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains(marker, StringComparison.Ordinal)));
    }

    [TestMethod]
    public void AzureHosting_Marker_FindsThePlatformsVariablesOnly()
    {
        static string? Marker(params (string Key, string Value)[] values) => AzureHosting.Marker(
            new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build());

        Assert.AreEqual("WEBSITE_INSTANCE_ID", Marker(("WEBSITE_INSTANCE_ID", "abc123")));
        Assert.IsNull(Marker(("WEBSITE_HOSTNAME", "localhost:7071"), ("CONTAINER_NAME", "build-7")));
    }

    [TestMethod]
    public async Task Validate_SampleKeyTokenNotFromLoopback_ReturnsNull()
    {
        var validator = Validator("Development", metadata: false);

        Assert.IsNotNull(await validator.ValidateAsync(Tokens.DevToken(), fromLoopback: true));
        Assert.IsNull(await validator.ValidateAsync(Tokens.DevToken(), fromLoopback: false));
    }

    [TestMethod]
    public async Task Validate_OwnDevKeyTokenNotFromLoopback_ReturnsUser()
    {
        const string ownKey = "a-developers-own-key-that-is-not-the-sample-0123";
        var options = new AuthOptions { Issuer = Tokens.Issuer, Audience = Tokens.Audience, DevSigningKey = ownKey };
        var validator = new JwtValidator(options, Tokens.Environment("Development"), null, new FakeLogger<JwtValidator>(_logs));

        Assert.IsNotNull(await validator.ValidateAsync(Tokens.Hs256(Encoding.UTF8.GetBytes(ownKey)), fromLoopback: false));
    }

    [TestMethod]
    [DataRow("Production")]
    [DataRow("Staging")]
    public async Task Validate_DevTokenOutsideDevelopment_ReturnsNullAndWarns(string environment)
    {
        var validator = Validator(environment);

        var user = await validator.ValidateAsync(Tokens.DevToken());

        Assert.IsNull(user);
        Assert.IsFalse(validator.AcceptsDevTokens);
        Assert.IsTrue(_logs.GetSnapshot().Any(r => r.Level == LogLevel.Warning && r.Message.Contains("DevSigningKey", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Validate_Expired_ReturnsNull()
    {
        var now = DateTime.UtcNow;
        var token = _tokens.Rs256(notBefore: now.AddMinutes(-10), expires: now.AddSeconds(-45));

        Assert.IsNull(await Validator().ValidateAsync(token));
    }

    [TestMethod]
    public async Task Validate_ExpiredWithinSkew_ReturnsUser()
    {
        var now = DateTime.UtcNow;
        var token = _tokens.Rs256(notBefore: now.AddMinutes(-10), expires: now.AddSeconds(-10));

        Assert.IsNotNull(await Validator().ValidateAsync(token));
    }

    [TestMethod]
    public async Task Validate_SkewConfiguredAbove30Seconds_IsCappedAt30()
    {
        _tokens.Options.ClockSkewSeconds = 300;
        var now = DateTime.UtcNow;
        var token = _tokens.Rs256(notBefore: now.AddMinutes(-10), expires: now.AddSeconds(-60));

        Assert.IsNull(await Validator().ValidateAsync(token));
    }

    [TestMethod]
    public async Task Validate_NotYetValid_ReturnsNull()
    {
        var now = DateTime.UtcNow;
        var token = _tokens.Rs256(notBefore: now.AddMinutes(5), expires: now.AddMinutes(15));

        Assert.IsNull(await Validator().ValidateAsync(token));
    }

    [TestMethod]
    public async Task Validate_WrongIssuer_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(issuer: "https://evil.example.test/v2.0")));
    }

    [TestMethod]
    public async Task Validate_WrongAudience_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(audience: "api://some-other-api")));
    }

    [TestMethod]
    public async Task Validate_TamperedPayload_ReturnsNull()
    {
        var token = _tokens.Rs256(Tokens.Claims("alice", ["Catalog.Reader"]));
        var tampered = Tokens.Tampered(token, p => p["roles"] = new JsonArray("Catalog.Admin"));

        Assert.IsNotNull(await Validator().ValidateAsync(token));
        Assert.IsNull(await Validator().ValidateAsync(tampered));
    }

    [TestMethod]
    public async Task Validate_UnknownKid_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(kid: "k2", signer: _tokens.OtherRsa)));
    }

    [TestMethod]
    public async Task Validate_KnownKeyUnderUnknownOrMissingKid_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(kid: "k2")));
        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(kid: null)));
    }

    [TestMethod]
    public async Task Validate_NoSubject_ReturnsNull()
    {
        var claims = new Dictionary<string, object> { ["roles"] = new[] { "Catalog.Admin" } };

        Assert.IsNull(await Validator().ValidateAsync(_tokens.Rs256(claims)));
    }

    [TestMethod]
    public async Task Validate_Garbage_ReturnsNull()
    {
        Assert.IsNull(await Validator().ValidateAsync("not-a-jwt"));
        Assert.IsNull(await Validator().ValidateAsync("a.b.c"));
    }

    [TestMethod]
    public async Task Validate_MissingRoles_AuthenticatedWithoutRoleAndForbiddenOnReads()
    {
        var user = await Validator().ValidateAsync(_tokens.Rs256(Tokens.Claims("bob", roles: null, teams: ["payments"])));

        Assert.IsNotNull(user);
        Assert.AreEqual(CatalogRole.None, user.Role);
        var decision = GateOutcome.Decide("GetComponent", AuthResult.For(user));
        Assert.IsInstanceOfType<ForbiddenException>(decision.Failure);
    }

    [TestMethod]
    public async Task Validate_UnknownRoleValues_Ignored()
    {
        var user = await Validator().ValidateAsync(_tokens.Rs256(Tokens.Claims("bob", ["catalog.admin", "Admin", "Catalog.Reader"])));

        Assert.AreEqual(new CatalogRole?(CatalogRole.Reader), user?.Role);
    }

    [TestMethod]
    public async Task Validate_Rejected_LogsReasonButNeverToken()
    {
        var token = _tokens.Rs256(issuer: "https://evil.example.test/v2.0");

        await Validator().ValidateAsync(token);

        var records = _logs.GetSnapshot();
        Assert.IsNotEmpty(records);
        var signature = token.Split('.')[2];
        foreach (var record in records)
        {
            var text = record.Message + string.Join(";", record.StructuredState?.Select(kv => kv.Value) ?? []) + record.Exception;
            Assert.DoesNotContain(signature, text);
            Assert.DoesNotContain(token.Split('.')[1], text);
        }
    }

    [TestMethod]
    public async Task Validate_KeyRotatedAtTheIssuer_RefreshesMetadataOnUnknownKid()
    {
        var rotating = new RotatingMetadata(_tokens);
        var validator = new JwtValidator(_tokens.Options, Tokens.Environment("Production"), rotating, new FakeLogger<JwtValidator>(_logs));
        var token = _tokens.Rs256(kid: "k2", signer: _tokens.OtherRsa);

        var user = await validator.ValidateAsync(token);

        Assert.IsNotNull(user);
        Assert.AreEqual(1, rotating.Refreshes);
    }

    /// <summary>The issuer's metadata before (k1) and after (k1, k2) a key rotation; the new set is served once a refresh is asked for.</summary>
    private sealed class RotatingMetadata(Tokens tokens) : BaseConfigurationManager
    {
        public int Refreshes { get; private set; }

        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel)
        {
            var configuration = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration { Issuer = Tokens.Issuer };
            configuration.SigningKeys.Add(new RsaSecurityKey(tokens.Rsa.ExportParameters(false)) { KeyId = "k1" });
            if (Refreshes > 0)
            {
                configuration.SigningKeys.Add(new RsaSecurityKey(tokens.OtherRsa.ExportParameters(false)) { KeyId = "k2" });
            }
            return Task.FromResult<BaseConfiguration>(configuration);
        }

        public override void RequestRefresh() => Refreshes++;
    }
}
