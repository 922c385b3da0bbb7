using System.Net;
using Azure.Core;
using Azure.Identity;

namespace ComponentCatalog.Cli;

/// <summary>
/// Where the catalog is and how to prove who we are. <c>CATALOG_URL</c> (default the dev host),
/// <c>CATALOG_TOKEN</c> (a bearer token) or <c>CATALOG_API_KEY</c>; otherwise Entra ID through
/// <see cref="DefaultAzureCredential"/> for <c>CATALOG_SCOPE</c> — only for a catalog that is not on this
/// machine, or when <c>--azure-auth</c> asks, so local runs never wait on credential probing.
/// </summary>
internal sealed class CatalogConnection
{
    public const string UrlSetting = "CATALOG_URL";
    public const string TokenSetting = "CATALOG_TOKEN";
    public const string ApiKeySetting = "CATALOG_API_KEY";
    public const string ScopeSetting = "CATALOG_SCOPE";
    public const string DefaultUrl = "http://127.0.0.1:7071";
    public const string DefaultScope = "api://component-catalog/.default";

    private readonly TokenCredential? _azure;
    private readonly string? _scope;
    private AccessToken? _cached;

    private CatalogConnection(Uri baseUrl, string? token, string? apiKey, TokenCredential? azure, string? scope, string source)
    {
        BaseUrl = baseUrl;
        Token = token;
        ApiKey = apiKey;
        _azure = azure;
        _scope = scope;
        CredentialSource = source;
    }

    public Uri BaseUrl { get; }

    /// <summary>The setting the credential came from, named in messages about it.</summary>
    public string CredentialSource { get; }

    private string? Token { get; }

    private string? ApiKey { get; }

    /// <param name="url">The <c>--url</c> option, which wins over <c>CATALOG_URL</c>.</param>
    /// <param name="azureAuth">The <c>--azure-auth</c> flag: use Entra ID even for a loopback URL.</param>
    public static CatalogConnection Resolve(CliEnvironment env, string? url, bool azureAuth)
    {
        var raw = url ?? Set(env, UrlSetting) ?? DefaultUrl;
        var setting = url is not null ? "--url" : Set(env, UrlSetting) is not null ? UrlSetting : "the default URL";
        if (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new CliException($"{setting}: '{raw}' is not an http(s) URL.");
        }

        var token = Set(env, TokenSetting);
        var apiKey = Set(env, ApiKeySetting);
        if (token is not null && apiKey is not null)
        {
            throw new CliException($"Both {TokenSetting} and {ApiKeySetting} are set; the catalog takes one credential. Unset one.");
        }
        if (token is not null)
        {
            return new(baseUrl, token, null, null, null, TokenSetting);
        }
        if (apiKey is not null)
        {
            return new(baseUrl, null, apiKey, null, null, ApiKeySetting);
        }
        if (azureAuth || !baseUrl.IsLoopback)
        {
            var scope = Set(env, ScopeSetting) ?? DefaultScope;
            return new(baseUrl, null, null, env.AzureCredential ?? new DefaultAzureCredential(), scope, $"Entra ID ({ScopeSetting}={scope})");
        }
        return new(baseUrl, null, null, null, null, "no credential");
    }

    /// <summary>Puts the credential on a request.</summary>
    public async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (Token is not null)
        {
            request.Headers.Authorization = new("Bearer", Token);
        }
        else if (ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", ApiKey);
        }
        else if (_azure is not null)
        {
            request.Headers.Authorization = new("Bearer", (await AzureTokenAsync(ct)).Token);
        }
    }

    /// <summary>What to tell the user when the catalog answers 401.</summary>
    public string Unauthorized(HttpStatusCode status, string? detail)
    {
        var why = $"({(int)status}{(detail is null ? "" : ": " + detail.TrimEnd('.'))})";
        return Token is null && ApiKey is null && _azure is null
            ? $"The catalog at {BaseUrl} needs credentials {why}: set {TokenSetting} or {ApiKeySetting}."
            : $"The catalog at {BaseUrl} refused the credentials from {CredentialSource} {why}: expired, revoked or meant for another catalog; get a new one.";
    }

    private async Task<AccessToken> AzureTokenAsync(CancellationToken ct)
    {
        if (_cached is { } cached && cached.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            return cached;
        }
        try
        {
            _cached = await _azure!.GetTokenAsync(new TokenRequestContext([_scope!]), ct);
            return _cached.Value;
        }
        catch (AuthenticationFailedException e)
        {
            throw new CliException($"No Entra ID token for {ScopeSetting}={_scope}: {FirstLine(e.Message)} Sign in (az login) or set {TokenSetting} / {ApiKeySetting}.");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static string? Set(CliEnvironment env, string name) => env.Variable(name) is { Length: > 0 } value ? value.Trim() : null;
}
