using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Security;

/// <summary>
/// The whole decision the auth middleware applies, end to end through real tokens, real API keys on Azurite
/// and the rate limiter on a fake clock: status and headers as a client would get them.
/// </summary>
[TestClass]
public sealed class RequestGateTests
{
    private static readonly CatalogUser Admin = new("admin@test", CatalogRole.Admin, new HashSet<string>());

    private static Problem? ProblemOf(GateOutcome decision) => decision.Failure is null ? null : ProblemMapper.Map(decision.Failure);

    private static HttpStatusCode Status(GateOutcome decision) => ProblemOf(decision)?.Status ?? HttpStatusCode.OK;

    [TestMethod]
    public async Task Evaluate_NoCredentialsOnAReadFunction_Returns401WithBearerChallenge()
    {
        using var sut = new SecurityHarness();

        var problem = ProblemOf(await sut.EvaluateAsync("GetComponent", SecurityHarness.Headers()));

        Assert.AreEqual(HttpStatusCode.Unauthorized, problem?.Status);
        Assert.AreEqual("Bearer", problem?.Headers?["WWW-Authenticate"]);
    }

    [TestMethod]
    public async Task Evaluate_ValidJwt_AllowsAsTheTokensUser()
    {
        using var sut = new SecurityHarness();
        var token = sut.Tokens.Rs256(Tokens.Claims("alice", ["Catalog.Writer"], ["payments"]));

        var decision = await sut.EvaluateAsync("CreateComponent", SecurityHarness.Bearer(token));

        Assert.IsTrue(decision.Allowed);
        Assert.AreEqual("alice", decision.User?.Id);
    }

    [TestMethod]
    public async Task Evaluate_BadToken_Returns401InvalidToken()
    {
        using var sut = new SecurityHarness();
        var expired = sut.Tokens.Rs256(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));

        var problem = ProblemOf(await sut.EvaluateAsync("GetComponent", SecurityHarness.Bearer(expired)));

        Assert.AreEqual(HttpStatusCode.Unauthorized, problem?.Status);
        Assert.AreEqual("Bearer error=\"invalid_token\"", problem?.Headers?["WWW-Authenticate"]);
    }

    [TestMethod]
    public async Task Evaluate_DevTokenInDevelopment_Allowed()
    {
        using var sut = new SecurityHarness(environment: "Development");

        Assert.AreEqual(HttpStatusCode.OK, Status(await sut.EvaluateAsync("ListApiKeys", SecurityHarness.Bearer(Tokens.DevToken()))));
    }

    [TestMethod]
    public async Task Evaluate_DevTokenOutsideDevelopment_Returns401()
    {
        using var sut = new SecurityHarness(environment: "Production");

        Assert.AreEqual(HttpStatusCode.Unauthorized, Status(await sut.EvaluateAsync("ListApiKeys", SecurityHarness.Bearer(Tokens.DevToken()))));
    }

    [TestMethod]
    public async Task Evaluate_TokenWithoutRoles_Returns403OnReadsNamingTheCaller()
    {
        using var sut = new SecurityHarness();
        var token = sut.Tokens.Rs256(Tokens.Claims("bob"));

        var decision = await sut.EvaluateAsync("GetComponent", SecurityHarness.Bearer(token));

        Assert.AreEqual(HttpStatusCode.Forbidden, Status(decision));
        Assert.IsNull(decision.User);
        Assert.AreEqual("bob", decision.CallerId);
    }

    [TestMethod]
    public async Task Evaluate_AnonymousFunction_SkipsCredentialsEvenWhenBad()
    {
        using var sut = new SecurityHarness();

        var decision = await sut.EvaluateAsync("Health", SecurityHarness.Bearer("garbage"));

        Assert.IsTrue(decision.Allowed);
        Assert.IsNull(decision.User);
    }

    [TestMethod]
    public async Task Evaluate_RepeatedAuthorization_Returns400()
    {
        using var sut = new SecurityHarness();
        var token = Tokens.DevToken();

        var headers = SecurityHarness.Headers(("Authorization", "Bearer " + token), ("Authorization", "Bearer " + token));

        Assert.AreEqual(HttpStatusCode.BadRequest, Status(await sut.EvaluateAsync("GetComponent", headers)));
    }

    [TestMethod]
    public async Task Evaluate_ContentLengthOverTheGlobalCap_Returns413BeforeAuthenticating()
    {
        using var sut = new SecurityHarness();
        var headers = SecurityHarness.Headers(("Content-Length", (sut.Limits.MaxRequestBytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, Status(await sut.EvaluateAsync("CreateComponent", headers)));
    }

    [TestMethod]
    public async Task Evaluate_ApiKeyCreatedThenRevoked_AllowedThen401()
    {
        using var sut = new SecurityHarness();
        var created = await sut.ApiKeys.CreateAsync(new ApiKeyRequest("ci", ["Catalog.Writer"], ["payments"], sut.Clock.GetUtcNow().AddDays(1)), Admin);

        var before = await sut.EvaluateAsync("CreateComponent", SecurityHarness.ApiKey(created.Key));
        await sut.ApiKeys.RevokeAsync(created.Id);
        var after = await sut.EvaluateAsync("CreateComponent", SecurityHarness.ApiKey(created.Key));

        Assert.IsTrue(before.Allowed);
        Assert.AreEqual($"apikey:{created.Id}", before.User?.Id);
        Assert.AreEqual("Bearer error=\"invalid_token\"", ProblemOf(after)?.Headers?["WWW-Authenticate"]);
    }

    [TestMethod]
    public async Task Evaluate_ReaderApiKeyOnAWrite_Returns403()
    {
        using var sut = new SecurityHarness();
        var created = await sut.ApiKeys.CreateAsync(new ApiKeyRequest("ro", ["Catalog.Reader"], [], sut.Clock.GetUtcNow().AddDays(1)), Admin);

        Assert.AreEqual(HttpStatusCode.Forbidden, Status(await sut.EvaluateAsync("PutComponent", SecurityHarness.ApiKey(created.Key))));
        Assert.AreEqual(HttpStatusCode.OK, Status(await sut.EvaluateAsync("GetComponent", SecurityHarness.ApiKey(created.Key))));
    }

    [TestMethod]
    public async Task Evaluate_ClientPrincipalOnlyWhenTrusted()
    {
        var principal = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            """{"claims":[{"typ":"sub","val":"easy"},{"typ":"roles","val":"Catalog.Admin"}]}"""));
        using var untrusted = new SecurityHarness(trustClientPrincipal: false);
        using var trusted = new SecurityHarness(trustClientPrincipal: true);
        var headers = SecurityHarness.Headers(("X-MS-CLIENT-PRINCIPAL", principal));

        Assert.AreEqual(HttpStatusCode.Unauthorized, Status(await untrusted.EvaluateAsync("ListApiKeys", headers)));
        Assert.AreEqual("easy", (await trusted.EvaluateAsync("ListApiKeys", headers)).User?.Id);
    }

    [TestMethod]
    public async Task Evaluate_OverQuota_Returns429WithRetryAfterThenRecovers()
    {
        using var sut = new SecurityHarness(permitsPerMinute: 3);
        var headers = SecurityHarness.Bearer(Tokens.DevToken(Tokens.Claims("alice", ["Catalog.Reader"])));
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(HttpStatusCode.OK, Status(await sut.EvaluateAsync("GetComponent", headers)));
        }

        var refusal = await sut.EvaluateAsync("GetComponent", headers);
        var limited = ProblemOf(refusal);
        sut.Clock.Advance(TimeSpan.FromSeconds(20));
        var recovered = await sut.EvaluateAsync("GetComponent", headers);

        Assert.AreEqual(HttpStatusCode.TooManyRequests, limited?.Status);
        Assert.IsNull(refusal.User);
        Assert.AreEqual("alice", refusal.CallerId);
        Assert.AreEqual("20", limited?.Headers?["Retry-After"]);
        Assert.IsTrue(recovered.Allowed);
    }

    [TestMethod]
    public async Task Evaluate_OnePrincipalOverQuota_AnotherPrincipalUnaffected()
    {
        using var sut = new SecurityHarness(permitsPerMinute: 3);
        var abuser = SecurityHarness.Bearer(Tokens.DevToken(Tokens.Claims("abuser", ["Catalog.Reader"])));
        var polite = SecurityHarness.Bearer(Tokens.DevToken(Tokens.Claims("polite", ["Catalog.Reader"])));

        var abusive = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            abusive.Add(Status(await sut.EvaluateAsync("GetComponent", abuser)));
        }
        var politeStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            politeStatuses.Add(Status(await sut.EvaluateAsync("GetComponent", polite)));
        }

        Assert.AreEqual(27, abusive.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.IsTrue(politeStatuses.All(s => s == HttpStatusCode.OK));
    }

    [TestMethod]
    public async Task Evaluate_AnonymousClients_LimitedPerAddress()
    {
        using var sut = new SecurityHarness(permitsPerMinute: 2, trustedProxyHops: 1);
        var a = SecurityHarness.Headers(("X-Forwarded-For", "9.9.9.9, 203.0.113.1"));
        var aSpoofingAnotherFirstHop = SecurityHarness.Headers(("X-Forwarded-For", "8.8.8.8, 203.0.113.1"));
        var b = SecurityHarness.Headers(("X-Forwarded-For", "203.0.113.2"));

        await sut.EvaluateAsync("Health", a);
        await sut.EvaluateAsync("Health", a);

        Assert.AreEqual(HttpStatusCode.TooManyRequests, Status(await sut.EvaluateAsync("Health", aSpoofingAnotherFirstHop)));
        Assert.AreEqual(HttpStatusCode.OK, Status(await sut.EvaluateAsync("Health", b)));
    }

    [TestMethod]
    public async Task Evaluate_FailedAuthentication_CountsAgainstTheClientAddress()
    {
        using var sut = new SecurityHarness(permitsPerMinute: 2);
        var bad = SecurityHarness.Headers(("Authorization", "Bearer nope"), ("X-Forwarded-For", "203.0.113.9"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add(Status(await sut.EvaluateAsync("GetComponent", bad)));
        }

        CollectionAssert.AreEqual(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }, statuses);
    }
}
