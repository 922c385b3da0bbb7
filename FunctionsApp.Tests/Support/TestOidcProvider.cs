using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using DevHost;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Tests.Support;

/// <summary>Who the provider signs in next, and with which claims.</summary>
public sealed record OidcUser(string Subject, string Name, string[] Roles, string[] Teams);

/// <summary>How the next id_token is spoiled, to prove the app refuses it.</summary>
public enum IdTokenFault
{
    None,
    WrongNonce,
    Expired,
    OtherIssuer,
    OtherKey,
    WrongAudience,
}

/// <summary>
/// A stand-in for Entra ID: a real OpenID Connect provider on 127.0.0.1 (HttpListener) with discovery, a JWKS of a
/// test RSA key, an authorize endpoint that signs <see cref="NextUser"/> in at once (redirects back with a code), and a
/// token endpoint that redeems each code once, only with the right client secret, redirect URI and PKCE verifier,
/// returning an RS256 id_token carrying the nonce.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string KeyId = "test-key-1";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _redemptions;

    private sealed record Grant(string RedirectUri, string Challenge, string Nonce, OidcUser User)
    {
        public int Used;
    }

    public TestOidcProvider(string clientId, string clientSecret)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
        var port = AzuriteProcess.FreePort();
        Authority = new Uri($"http://127.0.0.1:{port}/tenant/v2.0");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Authority { get; }

    public string Issuer => Authority.ToString().TrimEnd('/');

    public string ClientId { get; }

    public string ClientSecret { get; }

    /// <summary>The redirect URI the app must use (the registration's); null accepts any on 127.0.0.1.</summary>
    public string? RegisteredRedirectUri { get; set; }

    public OidcUser NextUser { get; set; } = new("user-1", "User One", ["Catalog.Reader"], []);

    public IdTokenFault Fault { get; set; }

    /// <summary>How many codes were redeemed (successfully or not).</summary>
    public int Redemptions => Volatile.Read(ref _redemptions);

    private string Url(string path) => Issuer + path;

    /// <summary>Accepts requests until stopped; each is answered on its own, and a client that hung up harms no other.</summary>
    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            await HandleAsync(context.Request, context.Response);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (e.g. the app's metadata fetch timed out): nothing to answer.
        }
        catch (Exception e)
        {
            try
            {
                await WriteAsync(context.Response, 500, new { error = "server_error", error_description = e.Message });
            }
            catch (Exception late) when (late is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task HandleAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var path = request.Url!.AbsolutePath;
        if (path == Authority.AbsolutePath.TrimEnd('/') + "/.well-known/openid-configuration")
        {
            await WriteAsync(response, 200, new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Url("/authorize"),
                ["token_endpoint"] = Url("/token"),
                ["jwks_uri"] = Url("/keys"),
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        }
        else if (path.EndsWith("/keys", StringComparison.Ordinal))
        {
            var p = _key.ExportParameters(false);
            await WriteAsync(response, 200, new
            {
                keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } },
            });
        }
        else if (path.EndsWith("/authorize", StringComparison.Ordinal) && request.HttpMethod == "GET")
        {
            Authorize(request.QueryString, response);
        }
        else if (path.EndsWith("/token", StringComparison.Ordinal) && request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var (status, body) = Redeem(HttpUtility.ParseQueryString(await reader.ReadToEndAsync()));
            await WriteAsync(response, status, body);
        }
        else
        {
            await WriteAsync(response, 404, new { error = "not_found" });
        }
    }

    private void Authorize(System.Collections.Specialized.NameValueCollection q, HttpListenerResponse response)
    {
        var redirect = q["redirect_uri"];
        var valid = q["client_id"] == ClientId && q["response_type"] == "code" && q["code_challenge_method"] == "S256"
            && q["code_challenge"] is { Length: 43 } && q["state"] is { Length: > 0 } && q["nonce"] is { Length: > 0 }
            && q["scope"]?.Split(' ').Contains("openid") == true
            && Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && uri.IsLoopback
            && (RegisteredRedirectUri is null || RegisteredRedirectUri == redirect);
        if (!valid)
        {
            response.StatusCode = 400;
            return;
        }
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _grants[code] = new Grant(redirect!, q["code_challenge"]!, q["nonce"]!, NextUser);
        response.StatusCode = 302;
        response.RedirectLocation = $"{redirect}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"]!)}";
    }

    private (int Status, object Body) Redeem(System.Collections.Specialized.NameValueCollection form)
    {
        Interlocked.Increment(ref _redemptions);
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return (401, new { error = "invalid_client" });
        }
        if (form["grant_type"] != "authorization_code" || form["code"] is not { } code || !_grants.TryGetValue(code, out var grant)
            || Interlocked.Exchange(ref grant.Used, 1) == 1
            || form["redirect_uri"] != grant.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"] ?? string.Empty))) != grant.Challenge)
        {
            return (400, new { error = "invalid_grant" });
        }
        return (200, new { access_token = "opaque", token_type = "Bearer", expires_in = 3600, id_token = IdToken(grant) });
    }

    private string IdToken(Grant grant)
    {
        var now = DateTime.UtcNow;
        var fault = Fault;
        var (issued, expires) = fault == IdTokenFault.Expired ? (now.AddHours(-2), now.AddHours(-1)) : (now, now.AddHours(1));
        var claims = new Dictionary<string, object>
        {
            ["sub"] = grant.User.Subject,
            ["name"] = grant.User.Name,
            ["nonce"] = fault == IdTokenFault.WrongNonce ? "another-nonce" : grant.Nonce,
            ["roles"] = grant.User.Roles,
            ["teams"] = grant.User.Teams,
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = fault == IdTokenFault.OtherIssuer ? "http://127.0.0.1:1/other/v2.0" : Issuer,
            Audience = fault == IdTokenFault.WrongAudience ? "another-client" : ClientId,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            Claims = claims,
            // Same kid, another key: the signature must not verify against the published JWKS.
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(fault == IdTokenFault.OtherKey ? _otherKey : _key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, object body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers["Cache-Control"] = "no-store";
        await response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _key.Dispose();
        _otherKey.Dispose();
    }
}
