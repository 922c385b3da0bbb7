using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker.Http;
using HttpRequestData = Microsoft.Azure.Functions.Worker.Http.HttpRequestData;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Pages;

/// <summary>What the short-lived sign-in cookie carries from <c>/signin</c> to <c>/signin/callback</c>.</summary>
internal sealed record SignInState(string State, string Nonce, string Verifier, string RedirectUri, string ReturnUrl, long ExpiresAt);

/// <summary>
/// The website's own OpenID Connect sign-in (authorization code flow, confidential client, PKCE S256, ADR 0021):
/// <see cref="BeginAsync"/> sends the browser to the provider's authorize endpoint with state, nonce and a code
/// challenge kept in an encrypted short-lived cookie; <see cref="CallbackAsync"/> checks the state against that cookie,
/// redeems the code with the client secret and the verifier, validates the id_token (signature by the metadata's JWKS,
/// issuer, audience, lifetime, nonce), maps its claims with <see cref="CatalogClaims.ToCatalogUser"/> — the same
/// mapping as for bearer tokens — and sets the encrypted session cookie (<see cref="SessionTickets"/>).
/// </summary>
internal sealed partial class OidcSignIn
{
    public const string StateCookie = "catalog_signin";
    public const string CallbackPath = "/signin/callback";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);
    private const int MaxTeams = 100;

    private readonly WebSignInOptions _options;
    private readonly AuthOptions _auth;
    private readonly SessionTickets _tickets;
    private readonly TimeProvider _clock;
    private readonly ILogger<OidcSignIn> _logger;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public OidcSignIn(WebSignInOptions options, AuthOptions auth, SessionTickets tickets, TimeProvider clock, ILogger<OidcSignIn> logger)
    {
        _options = options;
        _auth = auth;
        _tickets = tickets;
        _clock = clock;
        _logger = logger;
        if (options.Enabled && tickets.Enabled)
        {
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
                options.MetadataAddress(), new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(_http) { RequireHttps = options.MetadataAddress().StartsWith("https:", StringComparison.Ordinal) })
            {
                // Also how long a failed first fetch is remembered before the next try: keep a slow moment short.
                RefreshInterval = TimeSpan.FromSeconds(30),
            };
        }
    }

    public bool Enabled => _metadata is not null;

    /// <summary>Redirect to the provider; the state, nonce and PKCE verifier go into the encrypted state cookie.</summary>
    public async Task<PageResult> BeginAsync(HttpRequestData req, string returnUrl, CancellationToken ct)
    {
        var configuration = await ConfigurationAsync(ct);
        var verifier = Random();
        var state = new SignInState(Random(), Random(), verifier, RedirectUri(req.Url), ReturnUrls.Local(returnUrl),
            (_clock.GetUtcNow() + StateLifetime).ToUnixTimeSeconds());
        var message = new OpenIdConnectMessage
        {
            IssuerAddress = configuration.AuthorizationEndpoint,
            ClientId = _options.ClientId,
            ResponseType = OpenIdConnectResponseType.Code,
            // query, not form_post: the return is then a top-level GET, which carries the SameSite=Lax state cookie;
            // a cross-site form_post would need SameSite=None.
            ResponseMode = OpenIdConnectResponseMode.Query,
            RedirectUri = state.RedirectUri,
            Scope = "openid profile",
            State = state.State,
            Nonce = state.Nonce,
        };
        message.SetParameter("code_challenge", Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        message.SetParameter("code_challenge_method", "S256");
        var result = PageResult.Redirect(message.CreateAuthenticationRequestUrl());
        result.Cookies.Add((StateCookie, _tickets.Protect(state, SessionTickets.StatePurpose), StateLifetime, true));
        return result;
    }

    /// <summary>
    /// The provider's answer: a signed-in session and a redirect to where the user came from, or a refusal thrown as a
    /// 4xx problem, with no cookie set.
    /// </summary>
    public async Task<PageResult> CallbackAsync(HttpRequestData req, CancellationToken ct)
    {
        if (!Enabled)
        {
            throw new NotFoundException("The app's own sign-in is not configured (WebSignIn__Authority).");
        }
        var query = req.Query;
        var state = BrowserSession.Cookies(req.Headers).GetValueOrDefault(StateCookie) is { } cookie
            ? _tickets.Unprotect<SignInState>(cookie, SessionTickets.StatePurpose)
            : null;
        if (state is null || state.ExpiresAt <= _clock.GetUtcNow().ToUnixTimeSeconds())
        {
            throw Refused("state", "The sign-in expired or was started in another browser; sign in again.");
        }
        if (!BrowserSession.Matches(query["state"], state.State))
        {
            throw Refused("state", "The sign-in's state does not match this browser's; sign in again.");
        }
        if (query["error"] is { Length: > 0 } error)
        {
            throw Refused("error", $"The identity provider did not sign you in: {Truncate(error)}.");
        }
        if (query["code"] is not { Length: > 0 and <= 4096 } code)
        {
            throw Refused("code", "The identity provider's answer carries no code.");
        }

        var configuration = await ConfigurationAsync(ct);
        var idToken = await RedeemAsync(configuration, code, state, ct);
        var validated = await _handler.ValidateTokenAsync(idToken, Parameters());
        if (!validated.IsValid)
        {
            LogRejected(_logger, validated.Exception?.GetType().Name ?? "unknown");
            throw Refused("id_token", "The identity provider's id_token was not accepted.");
        }
        if (!BrowserSession.Matches(validated.ClaimsIdentity.FindFirst("nonce")?.Value, state.Nonce))
        {
            LogRejected(_logger, "nonce mismatch");
            throw Refused("id_token", "The identity provider's id_token was not accepted.");
        }
        if (validated.ClaimsIdentity.ToCatalogUser() is not { } user)
        {
            LogRejected(_logger, "no sub or oid claim");
            throw Refused("id_token", "The id_token names nobody (no oid or sub claim).");
        }

        var now = _clock.GetUtcNow();
        var lifetime = TimeSpan.FromHours(_options.SessionHours);
        var token = (JsonWebToken)validated.SecurityToken;
        // At most SessionHours from now and past the id_token's expiry. Not bound to auth_time: Entra's single sign-on
        // keeps that for days, and a session already expired at birth would send the browser round in circles.
        var expires = new[] { now + lifetime, new DateTimeOffset(token.ValidTo, TimeSpan.Zero) + lifetime }.Min();
        var name = validated.ClaimsIdentity.FindFirst("name")?.Value ?? validated.ClaimsIdentity.FindFirst("preferred_username")?.Value;
        var ticket = new SessionTicket(user.Id, name, AccessPolicy.RoleName(user.Role), [.. user.Teams.Order(StringComparer.Ordinal).Take(MaxTeams)],
            now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
        var value = _tickets.Issue(ticket);
        if (value.Length > 3800)
        {
            throw Refused("id_token", "The sign-in carries too many teams to fit in a cookie.");
        }
        LogSignedIn(_logger, user.Id, ticket.Role);
        var result = PageResult.Redirect(ReturnUrls.Local(state.ReturnUrl));
        result.Cookies.Add((BrowserSession.SessionCookie, value, expires - now, true));
        result.Cookies.Add((StateCookie, string.Empty, TimeSpan.Zero, true));
        return result;
    }

    private async Task<string> RedeemAsync(OpenIdConnectConfiguration configuration, string code, SignInState state, CancellationToken ct)
    {
        var message = new OpenIdConnectMessage
        {
            GrantType = OpenIdConnectGrantTypes.AuthorizationCode,
            Code = code,
            ClientId = _options.ClientId,
            ClientSecret = _options.ClientSecret,
            RedirectUri = state.RedirectUri,
        };
        message.SetParameter("code_verifier", state.Verifier);
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(message.Parameters), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogProviderUnreachable(_logger, e.GetType().Name);
            throw new UpstreamUnavailableException("The identity provider did not answer; try signing in again shortly.");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            OpenIdConnectMessage answer;
            try
            {
                answer = new OpenIdConnectMessage(body);
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                answer = new OpenIdConnectMessage();
            }
            if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(answer.IdToken))
            {
                LogRedeemRefused(_logger, (int)response.StatusCode, Truncate(answer.Error ?? "no id_token"));
                throw Refused("code", $"The identity provider did not redeem the sign-in code ({Truncate(answer.Error ?? "no id_token")}); sign in again.");
            }
            return answer.IdToken;
        }
    }

    /// <summary>
    /// The id_token's checks: the API's strict set (<see cref="JwtValidator.Strict"/>) with our client id as audience,
    /// the metadata's issuer (no <c>ValidIssuer</c>: the handler takes the discovery document's) and its JWKS key named by kid.
    /// </summary>
    private TokenValidationParameters Parameters() =>
        JwtValidator.Strict(_options.ClientId!, _auth.ClockSkewSeconds, _metadata, (_, _, kid, _, configuration) => JwtValidator.KeysByKid(kid, configuration));

    private async Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken ct)
    {
        try
        {
            return await _metadata!.GetConfigurationAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            LogProviderUnreachable(_logger, e.GetType().Name);
            throw new UpstreamUnavailableException("The identity provider's metadata could not be read; try signing in again shortly.");
        }
    }

    /// <summary>The registered redirect URI, else this request's own origin + <see cref="CallbackPath"/>.</summary>
    private string RedirectUri(Uri requestUrl) =>
        _options.RedirectUri is { Length: > 0 } configured ? configured : requestUrl.GetLeftPart(UriPartial.Authority) + CallbackPath;

    private static string Random() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100];

    private static ValidationException Refused(string field, string message) => new(field, message);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Sign-in refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "The identity provider refused to redeem a code: {Status} {Error}")]
    private static partial void LogRedeemRefused(ILogger logger, int status, string error);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Warning, Message = "The identity provider could not be reached: {Reason}")]
    private static partial void LogProviderUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Information, Message = "Signed in {UserId} as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string userId, string role);
}

/// <summary>Where a sign-in may send the browser back to: a local path only, never another site.</summary>
internal static class ReturnUrls
{
    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, else <c>/</c>. Refused: absolute URLs, scheme-relative
    /// <c>//host</c>, <c>/\host</c> (browsers read <c>\</c> as <c>/</c>), and any control character (browsers drop tabs
    /// and newlines, so <c>/\t/host</c> would become <c>//host</c>).
    /// </summary>
    public static string Local(string? url) =>
        url is { Length: > 0 and <= 2048 } && url[0] == '/'
        && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.Contains('\\', StringComparison.Ordinal)
        && !url.Any(char.IsControl)
            ? url
            : "/";
}
