using System.Text;
using Azure.Data.Tables;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Auth;

/// <summary>API keys against real Azurite: create, use, revoke (also from another instance), expire; stored hashed.</summary>
[TestClass]
public sealed class ApiKeyServiceTests
{
    private static readonly CatalogUser Creator = new("admin@test", CatalogRole.Admin, new HashSet<string>());
    private SecurityHarness _sut = null!;

    [TestInitialize]
    public void Init() => _sut = new SecurityHarness();

    [TestCleanup]
    public void Cleanup() => _sut.Dispose();

    private ApiKeyRequest Request(string[]? roles = null, string[]? teams = null, TimeSpan? lifetime = null) =>
        new("ci-pusher", roles ?? ["Catalog.Writer"], teams ?? ["payments"], _sut.Clock.GetUtcNow() + (lifetime ?? TimeSpan.FromDays(30)));

    [TestMethod]
    public async Task Create_ThenAuthenticate_ReturnsKeyPrincipalWithRolesAndTeams()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);

        var user = await _sut.ApiKeys.AuthenticateAsync(created.Key);

        Assert.StartsWith(ApiKeyService.Prefix, created.Key);
        Assert.IsNotNull(user);
        Assert.AreEqual($"apikey:{created.Id}", user.Id);
        Assert.AreEqual(CatalogRole.Writer, user.Role);
        Assert.IsTrue(user.Teams.SetEquals(["payments"]));
    }

    [TestMethod]
    public async Task Create_StoresOnlyTheHash()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);

        var row = (await _sut.Tables.ApiKeys.GetEntityAsync<TableEntity>("apikey", created.Id)).Value;
        var secret = created.Key[(created.Key.LastIndexOf('_') + 1)..];
        foreach (var (name, value) in row)
        {
            var text = value is byte[] bytes ? Convert.ToHexStringLower(bytes) + Encoding.UTF8.GetString(bytes) : value?.ToString() ?? string.Empty;
            Assert.DoesNotContain(secret, text, $"property {name}");
        }
        CollectionAssert.AreEqual(ApiKeyService.Hash(created.Key), row.GetBinary("Hash"));
    }

    [TestMethod]
    public async Task List_ShowsKeysWithoutSecrets()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);

        var listed = await _sut.ApiKeys.ListAsync();

        var item = listed.Single();
        Assert.AreEqual(created.Id, item.Id);
        Assert.AreEqual("ci-pusher", item.Name);
        Assert.AreEqual("active", item.Status);
        Assert.AreEqual("admin@test", item.CreatedBy);
        Assert.DoesNotContain(created.Key[^20..], System.Text.Json.JsonSerializer.Serialize(listed));
    }

    [TestMethod]
    public async Task Authenticate_RightIdWrongSecret_ReturnsNull()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);
        var forged = created.Key[..^1] + (created.Key[^1] == '0' ? '1' : '0');

        Assert.IsNull(await _sut.ApiKeys.AuthenticateAsync(forged));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("cck_")]
    [DataRow("not-a-key")]
    [DataRow("cck_zzzzzzzzzzzzzzzzzzzzzzzz_0000000000000000000000000000000000000000000000000000000000000000")]
    [DataRow("cck_000000000000000000000000_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Authenticate_MalformedOrUnknown_ReturnsNull(string key)
    {
        Assert.IsNull(await _sut.ApiKeys.AuthenticateAsync(key));
    }

    [TestMethod]
    public async Task Revoke_TakesEffectAtOnceAlsoOnAnotherInstance()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);
        var otherInstance = new ApiKeyService(new ComponentCatalog.Storage.ApiKeyStore(_sut.Tables), _sut.Clock);
        Assert.IsNotNull(await otherInstance.AuthenticateAsync(created.Key));

        await _sut.ApiKeys.RevokeAsync(created.Id);

        Assert.IsNull(await _sut.ApiKeys.AuthenticateAsync(created.Key));
        Assert.IsNull(await otherInstance.AuthenticateAsync(created.Key));
        Assert.AreEqual("revoked", (await _sut.ApiKeys.ListAsync()).Single().Status);
    }

    [TestMethod]
    public async Task Revoke_Twice_StaysRevokedWithTheFirstTime()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(), Creator);
        await _sut.ApiKeys.RevokeAsync(created.Id);
        var first = (await _sut.ApiKeys.ListAsync()).Single().RevokedAt;
        _sut.Clock.Advance(TimeSpan.FromHours(1));

        await _sut.ApiKeys.RevokeAsync(created.Id);

        Assert.AreEqual(first, (await _sut.ApiKeys.ListAsync()).Single().RevokedAt);
    }

    [TestMethod]
    [DataRow("000000000000000000000000")]
    [DataRow("../etc")]
    public async Task Revoke_Unknown_ThrowsNotFound(string id)
    {
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => _sut.ApiKeys.RevokeAsync(id));
    }

    [TestMethod]
    public async Task Authenticate_AfterExpiry_ReturnsNull()
    {
        var created = await _sut.ApiKeys.CreateAsync(Request(lifetime: TimeSpan.FromHours(1)), Creator);
        _sut.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.IsNotNull(await _sut.ApiKeys.AuthenticateAsync(created.Key));

        _sut.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.IsNull(await _sut.ApiKeys.AuthenticateAsync(created.Key));
        Assert.AreEqual("expired", (await _sut.ApiKeys.ListAsync()).Single().Status);
    }

    [TestMethod]
    public async Task Create_InvalidFields_ThrowsValidationNamingEachAndStoresNothing()
    {
        var request = new ApiKeyRequest("", ["Catalog.Root"], ["Not A Team"], _sut.Clock.GetUtcNow().AddMinutes(-1));

        var error = await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.ApiKeys.CreateAsync(request, Creator));

        CollectionAssert.AreEquivalent(new[] { "name", "roles", "teams", "expiresAt" }, error.Errors.Keys.ToArray());
        Assert.IsEmpty(await _sut.ApiKeys.ListAsync());
    }

    [TestMethod]
    public async Task Create_NoRolesOrExpiryTooFar_ThrowsValidation()
    {
        var noRoles = new ApiKeyRequest("k", [], [], _sut.Clock.GetUtcNow().AddDays(1));
        var tooFar = new ApiKeyRequest("k", ["Catalog.Reader"], [], _sut.Clock.GetUtcNow() + ApiKeyService.MaxLifetime + TimeSpan.FromDays(1));
        var noExpiry = new ApiKeyRequest("k", ["Catalog.Reader"], [], null);

        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.ApiKeys.CreateAsync(noRoles, Creator));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.ApiKeys.CreateAsync(tooFar, Creator));
        await Assert.ThrowsExactlyAsync<ValidationException>(() => _sut.ApiKeys.CreateAsync(noExpiry, Creator));
    }

    [TestMethod]
    public async Task Create_TwoKeys_HaveDistinctIdsAndSecrets()
    {
        var a = await _sut.ApiKeys.CreateAsync(Request(), Creator);
        var b = await _sut.ApiKeys.CreateAsync(Request(), Creator);

        Assert.AreNotEqual(a.Id, b.Id);
        Assert.AreNotEqual(a.Key, b.Key);
        Assert.IsNull(await _sut.ApiKeys.AuthenticateAsync(a.Key[..29] + b.Key[29..]));
    }
}
