using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Messaging.EventGrid;

namespace ComponentCatalog.Events;

/// <summary>What one call to a subscriber came to.</summary>
internal sealed record SendResult(bool Delivered, int? StatusCode, string? Error, long DurationMs);

/// <summary>
/// Calls subscribers (docs/events.md). Webhooks: the CloudEvents webhook validation handshake (<c>OPTIONS</c> with
/// <c>WebHook-Request-Origin</c>), then the CloudEvents HTTP binding in structured mode
/// (<c>application/cloudevents+json</c>), signed in the manner of Standard Webhooks (<c>webhook-id</c>,
/// <c>webhook-timestamp</c>, <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>).
/// Event Grid topics: <see cref="EventGridPublisherClient"/> with the app's managed identity, CloudEvent schema.
/// Every call goes through <see cref="OutboundGuard.Client"/>.
/// </summary>
internal sealed class EventSender(OutboundGuard guard, EventsOptions options, TimeProvider clock)
{
    public const string WebhookKind = "webhook";
    public const string EventGridKind = "eventgrid";
    private const string SecretPrefix = "whsec_";

    private readonly ConcurrentDictionary<string, EventGridPublisherClient> _topics = new(StringComparer.Ordinal);

    /// <summary>The origin the handshake names: the host of <see cref="EventsOptions.Source"/>.</summary>
    public string Origin => Uri.TryCreate(options.Source, UriKind.Absolute, out var source) && source.Host.Length > 0 ? source.Host : "component-catalog";

    /// <summary>A new signing secret in the Standard Webhooks form: <c>whsec_</c> and 32 random bytes, base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsValidSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return false;
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var length) && length is >= 24 and <= 64;
    }

    /// <summary><c>v1,</c> and the base64 HMAC-SHA256, keyed with the secret's bytes, of <c>{id}.{timestamp}.{body}</c>.</summary>
    public static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }

    /// <summary>The CloudEvents webhook validation handshake: the target must allow this origin (or <c>*</c>).</summary>
    public async Task<SendResult> HandshakeAsync(Subscription subscription, CancellationToken ct)
    {
        if (subscription.Kind != WebhookKind)
        {
            return new SendResult(true, null, null, 0);
        }
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, subscription.Endpoint);
            request.Headers.Add("WebHook-Request-Origin", Origin);
            using var response = await guard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.FirstOrDefault() : null;
            var ok = response.IsSuccessStatusCode && (allowed == "*" || string.Equals(allowed, Origin, StringComparison.OrdinalIgnoreCase));
            return new SendResult(ok, (int)response.StatusCode,
                ok ? null : "The validation handshake was refused: OPTIONS must answer 2xx with WebHook-Allowed-Origin.", watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (IsCallFailure(e))
        {
            return new SendResult(false, null, Describe(e), watch.ElapsedMilliseconds);
        }
    }

    public async Task<SendResult> SendAsync(Subscription subscription, ChangeEvent change, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            if (subscription.Kind == EventGridKind)
            {
                await Topic(subscription.Endpoint).SendEventAsync(ToAzureCloudEvent(change), ct);
                return new SendResult(true, 200, null, watch.ElapsedMilliseconds);
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(change.ToCloudEvent(options.Source));
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new("application/cloudevents+json") { CharSet = "utf-8" };
            request.Headers.Add("webhook-id", change.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", Sign(subscription.Secret ?? string.Empty, change.Id, timestamp, body));
            using var response = await guard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new SendResult(true, status, null, watch.ElapsedMilliseconds)
                : new SendResult(false, status, status is >= 300 and < 400 ? "Redirects are not followed." : $"The subscriber answered {status}.", watch.ElapsedMilliseconds);
        }
        catch (RequestFailedException e)
        {
            return new SendResult(false, e.Status == 0 ? null : e.Status, $"Event Grid refused the event ({e.ErrorCode ?? e.Status.ToString(CultureInfo.InvariantCulture)}).", watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (IsCallFailure(e))
        {
            return new SendResult(false, null, Describe(e), watch.ElapsedMilliseconds);
        }
    }

    private Azure.Messaging.CloudEvent ToAzureCloudEvent(ChangeEvent change)
    {
        var data = change.ToCloudEvent(options.Source)["data"]!.ToJsonString();
        return new Azure.Messaging.CloudEvent(options.Source, change.Type, BinaryData.FromString(data), "application/json", Azure.Messaging.CloudEventDataFormat.Json)
        {
            Id = change.Id,
            Subject = change.Subject,
            Time = change.Time,
        };
    }

    /// <summary>
    /// How a topic's publisher authenticates: the app's managed identity. A test swaps in an
    /// <see cref="AzureKeyCredential"/> (the SDK refuses bearer tokens over plain http, and a local receiver has no TLS).
    /// </summary>
    internal Func<Uri, EventGridPublisherClientOptions, EventGridPublisherClient> TopicClient { get; init; } =
        (endpoint, clientOptions) => new EventGridPublisherClient(endpoint, new DefaultAzureCredential(), clientOptions);

    private EventGridPublisherClient Topic(string endpoint) => _topics.GetOrAdd(endpoint, e =>
        TopicClient(new Uri(e), new EventGridPublisherClientOptions
        {
            Transport = new HttpClientTransport(guard.Client),
            Retry = { MaxRetries = 0 },
        }));

    private static bool IsCallFailure(Exception e) =>
        e is HttpRequestException or TaskCanceledException or TimeoutException or OutboundRefusedException or IOException or AuthenticationFailedException;

    /// <summary>A log-safe description (never a response body, never a header).</summary>
    private static string Describe(Exception e) => e switch
    {
        OutboundRefusedException refused => "Refused: " + refused.Message,
        HttpRequestException { InnerException: OutboundRefusedException refused } => "Refused: " + refused.Message,
        TaskCanceledException or TimeoutException => "The subscriber did not answer in time.",
        AuthenticationFailedException => "No managed identity token for Event Grid.",
        HttpRequestException h => $"The subscriber could not be reached ({h.HttpRequestError}).",
        _ => "The subscriber could not be reached.",
    };
}
