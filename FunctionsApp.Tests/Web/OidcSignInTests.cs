using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComponentCatalog.Auth;
using ComponentCatalog.Pages;
using ComponentCatalog.Tests.EndToEnd;
using ComponentCatalog.Tests.Support;
using DevHost;
using DevHost.Tokens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ComponentCatalog.Tests.Web;

/// <summary>
/// The website's own OpenID Connect sign-in (ADR 0021) end to end: a dev host configured with <c>WebSignIn__*</c>
/// against a real local provider (<see cref="TestOidcProvider"/>), driven over HTTP hop by hop and once in Chromium.
/// </summary>
[TestClass]
public sealed partial class OidcSignInTests
{
    private const string ClientSecret = "test-client-secret-of-the-sign-in-registration";
    private const string CookieKey = "current-cookie-key-for-the-oidc-sign-in-tests-0123456789";
    private const string PreviousCookieKey = "previous-cookie-key-for-the-oidc-sign-in-tests-0123456789";
    private static TestOidcProvider _provider = null!;
    private static DevHostProcess _host = null!;
    private static HttpClient _http = null!;
    private static string _team = null!;
    private static string _ours = null!;
    private static string _theirs = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _provider = new TestOidcProvider("catalog-web-test", ClientSecret);
        _host = await DevHostProcess.StartAsync(DevHostServer.Configuration, new Dictionary<string, string>
        {
            ["WebSignIn__Authority"] = _provider.Authority.ToString(),
            ["WebSignIn__ClientId"] = _provider.ClientId,
            ["WebSignIn__ClientSecret"] = ClientSecret,
            ["WebSignIn__CookieKey"] = CookieKey,
            ["WebSignIn__PreviousCookieKey"] = PreviousCookieKey,
        });
        _provider.RegisteredRedirectUri = new Uri(_host.BaseAddress, "signin/callback").ToString();
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _host.BaseAddress };
        _team = "o" + Guid.NewGuid().ToString("N")[..10];
        _ours = await SeedAsync(_team);
        _theirs = await SeedAsync("o" + Guid.NewGuid().ToString("N")[..10]);
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        _http?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        if (_provider is not null) await _provider.DisposeAsync();
    }

    [TestInitialize]
    public void Reset()
    {
        _provider.Fault = IdTokenFault.None;
        _provider.NextUser = new OidcUser("writer-" + _team, "Wanda Writer", [CatalogClaims.Writer], [_team]);
    }

    private static async Task<string> SeedAsync(string team)
    {
        var name = team + "-orders";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/components")
        {
            Content = new StringContent(
                $"---\nowner: {team}\nname: {name}\n---\n# Orders\n\n## Component Name\nOrders\n\n## File Location\n`src/{name}`\n\n## Description\nKeeps the orders of the shop.\n",
                Encoding.UTF8, "text/markdown"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Create(new DevTokenRequest { Roles = [CatalogClaims.Writer], Teams = [team] }));
        using var response = await _host.Client.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>GET /signin, then the provider's authorize endpoint: the state cookie and the callback URL it sends the browser to.</summary>
    private static async Task<(string StateCookie, string Callback)> BeginAsync(string returnUrl = "/")
    {
        using var signIn = await _http.GetAsync("signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.AreEqual(HttpStatusCode.SeeOther, signIn.StatusCode, await signIn.Content.ReadAsStringAsync());
        var authorize = signIn.Headers.Location!;
        StringAssert.StartsWith(authorize.ToString(), _provider.Issuer + "/authorize?");
        StringAssert.Contains(authorize.Query, "code_challenge_method=S256");
        StringAssert.Contains(authorize.Query, "response_mode=query");
        var (state, attributes) = SetCookie(signIn, OidcSignIn.StateCookie) ?? throw new AssertFailedException("no state cookie");
        StringAssert.Contains(attributes, "httponly");
        StringAssert.Contains(attributes, "samesite=lax");

        using var provider = await _http.GetAsync(authorize);
        Assert.AreEqual(HttpStatusCode.Redirect, provider.StatusCode, "the provider refused the authorize request");
        return (state, provider.Headers.Location!.ToString());
    }

    private static async Task<HttpResponseMessage> GetAsync(string url, string? cookies = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookies is not null) request.Headers.Add("Cookie", cookies);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await _http.SendAsync(request);
    }

    /// <summary>The value and lower-cased attributes of a cookie the response sets, or null.</summary>
    private static (string Value, string Attributes)? SetCookie(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values)) return null;
        var line = values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal));
        if (line is null) return null;
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        return (line[(name.Length + 1)..(semicolon < 0 ? line.Length : semicolon)], semicolon < 0 ? string.Empty : line[semicolon..].ToLowerInvariant());
    }

    private static async Task AssertProblemWithoutCookieAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, body);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, body);
        Assert.IsTrue(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.IsFalse(response.Headers.Contains("Set-Cookie"), "a refused sign-in sets no cookie");
    }

    /// <summary>Signs in over HTTP: the session cookie's value.</summary>
    private static async Task<string> SignInAsync(string returnUrl = "/")
    {
        var (state, callback) = await BeginAsync(returnUrl);
        using var response = await GetAsync(callback, $"{OidcSignIn.StateCookie}={state}");
        Assert.AreEqual(HttpStatusCode.SeeOther, response.StatusCode, await response.Content.ReadAsStringAsync());
        return SetCookie(response, BrowserSession.SessionCookie)!.Value.Value;
    }

    [TestMethod]
    public async Task Callback_ValidCode_SignsInAndReturnsToThePage_ThenTheCodeCannotBeReplayed()
    {
        var (state, callback) = await BeginAsync($"/components/{_ours}?depth=2");

        using var response = await GetAsync(callback, $"{OidcSignIn.StateCookie}={state}");

        Assert.AreEqual(HttpStatusCode.SeeOther, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual($"/components/{_ours}?depth=2", response.Headers.Location!.ToString());
        var (session, attributes) = SetCookie(response, BrowserSession.SessionCookie) ?? throw new AssertFailedException("no session cookie");
        StringAssert.StartsWith(session, SessionTickets.Prefix);
        StringAssert.Contains(attributes, "httponly");
        StringAssert.Contains(attributes, "samesite=lax");
        var maxAge = int.Parse(MaxAge().Match(attributes).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(maxAge is > 7 * 3600 and <= 8 * 3600, attributes);
        Assert.AreEqual(string.Empty, SetCookie(response, OidcSignIn.StateCookie)?.Value, "the state cookie is cleared");
        using var page = await GetAsync($"components/{_ours}", $"{BrowserSession.SessionCookie}={session}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, page.StatusCode, html);
        StringAssert.Contains(html, "Wanda Writer · Catalog.Writer");
        StringAssert.Contains(html, $"title=\"writer-{_team}");

        var redemptions = _provider.Redemptions;
        using var replay = await GetAsync(callback, $"{OidcSignIn.StateCookie}={state}");

        await AssertProblemWithoutCookieAsync(replay, HttpStatusCode.BadRequest, "code");
        Assert.AreEqual(redemptions + 1, _provider.Redemptions, "the replayed code went to the provider, which refused it");
    }

    [TestMethod]
    public async Task Callback_WrongOrMissingState_Returns400_WithoutCookie_AndRedeemsNothing()
    {
        var (state, callback) = await BeginAsync();
        var (_, otherCallback) = await BeginAsync();
        var redemptions = _provider.Redemptions;

        using var wrong = await GetAsync(callback.Replace("state=", "state=x", StringComparison.Ordinal), $"{OidcSignIn.StateCookie}={state}");
        using var otherBrowser = await GetAsync(otherCallback, $"{OidcSignIn.StateCookie}={state}");
        using var noCookie = await GetAsync(callback);

        await AssertProblemWithoutCookieAsync(wrong, HttpStatusCode.BadRequest, "state");
        await AssertProblemWithoutCookieAsync(otherBrowser, HttpStatusCode.BadRequest, "state");
        await AssertProblemWithoutCookieAsync(noCookie, HttpStatusCode.BadRequest, "state");
        Assert.AreEqual(redemptions, _provider.Redemptions);
    }

    [TestMethod]
    [DataRow(IdTokenFault.WrongNonce)]
    [DataRow(IdTokenFault.Expired)]
    [DataRow(IdTokenFault.OtherIssuer)]
    [DataRow(IdTokenFault.OtherKey)]
    [DataRow(IdTokenFault.WrongAudience)]
    public async Task Callback_SpoiledIdToken_Returns400_WithoutCookie(IdTokenFault fault)
    {
        var (state, callback) = await BeginAsync();
        _provider.Fault = fault;

        using var response = await GetAsync(callback, $"{OidcSignIn.StateCookie}={state}");

        await AssertProblemWithoutCookieAsync(response, HttpStatusCode.BadRequest, "id_token");
    }

    [TestMethod]
    [DataRow("https://evil.example/x")]
    [DataRow("//evil.example")]
    [DataRow("/\\evil.example")]
    [DataRow("/\t/evil.example")]
    [DataRow("javascript:alert(1)")]
    public async Task SignIn_ForeignReturnUrl_LandsOnTheRoot(string returnUrl)
    {
        var (state, callback) = await BeginAsync(returnUrl);

        using var response = await GetAsync(callback, $"{OidcSignIn.StateCookie}={state}");

        Assert.AreEqual(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.AreEqual("/", response.Headers.Location!.ToString());
    }

    [TestMethod]
    public async Task SessionCookie_OnlyAnUntamperedUnexpiredOneMadeWithAKnownKey_SignsIn()
    {
        var now = DateTimeOffset.UtcNow;
        string Ticket(string key, DateTimeOffset expires) => new SessionTickets(
            new WebSignInOptions { Authority = "https://login.example/t/v2.0", ClientId = "c", CookieKey = key }, TimeProvider.System)
            .Issue(new SessionTicket("minted", null, CatalogClaims.Reader, [], now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds()));
        var valid = Ticket(CookieKey, now.AddHours(1));
        var tampered = valid[..20] + (valid[20] == 'A' ? 'B' : 'A') + valid[21..];
        async Task<HttpStatusCode> StatusAsync(string cookie)
        {
            using var response = await GetAsync("graph", $"{BrowserSession.SessionCookie}={cookie}");
            if (response.StatusCode == HttpStatusCode.SeeOther) StringAssert.StartsWith(response.Headers.Location!.ToString(), "/signin?returnUrl=");
            return response.StatusCode;
        }

        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync(valid));
        Assert.AreEqual(HttpStatusCode.OK, await StatusAsync(Ticket(PreviousCookieKey, now.AddHours(1))), "the previous key still reads");
        Assert.AreEqual(HttpStatusCode.SeeOther, await StatusAsync(tampered));
        Assert.AreEqual(HttpStatusCode.SeeOther, await StatusAsync(Ticket(CookieKey, now.AddMinutes(-1))), "expired");
        Assert.AreEqual(HttpStatusCode.SeeOther, await StatusAsync(Ticket("an-unknown-key-never-configured-anywhere-0123", now.AddHours(1))));
    }

    [TestMethod]
    public async Task SessionCookie_CountsForTheApiOnlyWithTheCsrfProof()
    {
        var session = await SignInAsync();
        var csrf = new string('c', 43);

        using var without = await GetAsync($"api/components/{_ours}", $"{BrowserSession.SessionCookie}={session}");
        using var with = await GetAsync($"api/components/{_ours}", $"{BrowserSession.SessionCookie}={session}; {BrowserSession.CsrfCookie}={csrf}", (BrowserSession.CsrfHeader, csrf));

        Assert.AreEqual(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, with.StatusCode, await with.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task SignOut_WithTheCsrfToken_ClearsTheSession_WithoutItKeepsIt()
    {
        var session = await SignInAsync();
        var csrf = new string('c', 43);
        async Task<HttpResponseMessage> SignOutAsync(string field)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "signout") { Content = new StringContent("csrf=" + field, Encoding.UTF8, "application/x-www-form-urlencoded") };
            request.Headers.Add("Cookie", $"{BrowserSession.SessionCookie}={session}; {BrowserSession.CsrfCookie}={csrf}");
            return await _http.SendAsync(request);
        }

        using var forged = await SignOutAsync("not-the-token");
        using var signedOut = await SignOutAsync(csrf);

        Assert.IsNull(SetCookie(forged, BrowserSession.SessionCookie), "a cross-site form cannot sign anyone out");
        Assert.AreEqual(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.AreEqual("/signin?signedout=1", signedOut.Headers.Location!.ToString());
        var (value, attributes) = SetCookie(signedOut, BrowserSession.SessionCookie)!.Value;
        Assert.AreEqual(string.Empty, value);
        StringAssert.Contains(attributes, "max-age=0");
        using var landing = await GetAsync("signin?signedout=1");
        StringAssert.Contains(await landing.Content.ReadAsStringAsync(), "You are signed out");
    }

    [TestMethod]
    public async Task ClientPrincipalHeader_SentByTheClient_IsIgnored()
    {
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"auth_typ":"aad","claims":[{"typ":"oid","val":"forged"},{"typ":"roles","val":"Catalog.Admin"}],"name_typ":"name","role_typ":"roles"}"""));

        using var page = await GetAsync("graph", headers: (CredentialReader.ClientPrincipalHeader, principal));
        using var api = await GetAsync($"api/components/{_ours}", headers: (CredentialReader.ClientPrincipalHeader, principal));

        Assert.AreEqual(HttpStatusCode.SeeOther, page.StatusCode);
        StringAssert.StartsWith(page.Headers.Location!.ToString(), "/signin?returnUrl=");
        Assert.AreEqual(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [TestMethod]
    public async Task Browser_SignsInThroughTheProvider_AndAWriterEditsOnlyTheirTeamsComponents()
    {
        var (playwright, browser) = await BrowserFixture.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString() });
            // Generous: a loaded CI machine runs the worker's first render, the metadata fetch and two redirects here.
            context.SetDefaultTimeout(30_000);
            context.SetDefaultNavigationTimeout(60_000);
            var page = await context.NewPageAsync();

            await page.GotoAsync($"/components/{_ours}");

            await Expect(page).ToHaveURLAsync(new Regex($"/components/{_ours}$"));
            await Expect(page.Locator(".who .user")).ToHaveTextAsync("Wanda Writer · Catalog.Writer");
            await Expect(page.Locator("a.button:has-text('Edit')")).ToHaveCountAsync(1);
            await page.GotoAsync($"/components/{_theirs}");
            await Expect(page.Locator("h1")).ToContainTextAsync("Orders");
            await Expect(page.Locator("a.button:has-text('Edit')")).ToHaveCountAsync(0);

            await page.ClickAsync(".who button:has-text('Sign out')");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Signed out");
            await Expect(page.Locator(".who .user")).ToHaveCountAsync(0);
            _provider.NextUser = new OidcUser("reader-" + _team, "Rita Reader", [CatalogClaims.Reader], []);
            await page.ClickAsync("main a:has-text('Sign in')");

            await Expect(page.Locator(".who .user")).ToHaveTextAsync("Rita Reader · Catalog.Reader");
            await Expect(page).ToHaveURLAsync(new Regex("/$"));
            await page.GotoAsync($"/components/{_ours}");
            await Expect(page.Locator("a.button:has-text('Edit')")).ToHaveCountAsync(0);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [GeneratedRegex("max-age=(\\d+)")]
    private static partial Regex MaxAge();
}
