using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Catalog;
using ComponentCatalog.Model;
using Polly;
using Polly.Retry;

namespace ComponentCatalog.Cli;

/// <summary>
/// The catalog's HTTP API as the CLI uses it. 429 and 503 are retried up to <see cref="MaxRetries"/> times,
/// waiting what <c>Retry-After</c> says (at most <see cref="MaxWait"/>); an unreachable catalog, refused
/// credentials or any other error status end the command with one line saying so.
/// </summary>
internal sealed class CatalogClient : IDisposable
{
    public const int MaxRetries = 5;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly CatalogConnection _connection;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public CatalogClient(CatalogConnection connection, CliEnvironment env)
    {
        _connection = connection;
        _http = new HttpClient(env.Handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: env.Handler is null)
        {
            BaseAddress = connection.BaseUrl,
            Timeout = TimeSpan.FromSeconds(100),
        };
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = env.Clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = MaxWait,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, env.Clock)),
                OnRetry = args =>
                {
                    env.Error.WriteLine($"catalog: {(int)args.Outcome.Result!.StatusCode} from the catalog; retry {args.AttemptNumber + 1}/{MaxRetries} in {args.RetryDelay.TotalSeconds:0.#} s.");
                    args.Outcome.Result.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public Uri BaseUrl => _connection.BaseUrl;

    public async Task<JsonObject> ImportAsync(IReadOnlyList<ImportDocument> documents, bool dryRun, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new ImportRequest(documents, dryRun), CatalogJson.Options);
        using var response = await SendAsync(() => new(HttpMethod.Post, "api/import") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, ct);
        return await JsonAsync(response, ct);
    }

    /// <returns>The document (JSON, or Markdown when asked), or null when there is none of that name.</returns>
    public async Task<string?> GetAsync(string name, bool markdown, CancellationToken ct)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"api/components/{Uri.EscapeDataString(name)}");
            request.Headers.Accept.Add(new(markdown ? "text/markdown" : "application/json"));
            return request;
        }, ct, allowNotFound: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsStringAsync(ct);
    }

    public async Task<JsonObject> SearchAsync(string query, int limit, CancellationToken ct)
    {
        using var response = await SendAsync(() => new(HttpMethod.Get, $"api/components?q={Uri.EscapeDataString(query)}&limit={limit}"), ct);
        return await JsonAsync(response, ct);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken ct, bool allowNotFound = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(async token =>
            {
                using var request = create();
                await _connection.AuthorizeAsync(request, token);
                return await _http.SendAsync(request, token);
            }, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"Cannot reach the catalog at {BaseUrl} ({CatalogConnection.UrlSetting} or --url): {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"The catalog at {BaseUrl} did not answer within {_http.Timeout.TotalSeconds:0} s.");
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }
        using (response)
        {
            var detail = await ProblemDetailAsync(response, ct);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CliException(_connection.Unauthorized(response.StatusCode, detail)),
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable =>
                    new CliException($"The catalog at {BaseUrl} is still busy ({(int)response.StatusCode}) after {MaxRetries} retries; try again later."),
                _ => new CliException($"The catalog at {BaseUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}"),
            };
        }
    }

    private async Task<JsonObject> JsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject
                ?? throw new CliException($"The catalog at {BaseUrl} answered with JSON that is not an object.");
        }
        catch (JsonException)
        {
            throw new CliException($"The catalog at {BaseUrl} answered with something that is not JSON; is {CatalogConnection.UrlSetting} the catalog?");
        }
    }

    private static async Task<string?> ProblemDetailAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            return (string?)problem?["detail"] ?? (string?)problem?["title"];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The wait a 429/503 asks for (seconds or an HTTP date), capped; null for the exponential backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - clock.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxWait.Ticks)) : null;
    }
}
