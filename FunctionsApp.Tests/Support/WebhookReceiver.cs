using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ComponentCatalog.Events;

namespace ComponentCatalog.Tests.Support;

/// <summary>A request the receiver got: method, headers that matter, body, and whether its signature verified.</summary>
internal sealed record Received(string Method, string? ContentType, string? Id, string? Timestamp, string? Signature, string Body, bool SignatureValid)
{
    public System.Collections.Specialized.NameValueCollection Headers { get; init; } = [];

    public JsonNode Event => JsonNode.Parse(Body)!;
}

/// <summary>
/// A real HTTP webhook receiver on 127.0.0.1 (HttpListener, a free port): answers the CloudEvents validation
/// handshake, verifies each delivery's Standard Webhooks signature with the subscription's secret, de-duplicates by
/// event id, and can be switched down (503), to redirecting (302) or to refusing the handshake.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<Received> _requests = new();

    public WebhookReceiver()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>The subscription's secret, for verifying signatures (set once the subscription exists).</summary>
    public string? Secret { get; set; }

    /// <summary>Status to answer deliveries with while not 200 (503: down; 302: a redirect to elsewhere).</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public bool RefuseHandshake { get; set; }

    public IReadOnlyList<Received> Requests => [.. _requests];

    public IReadOnlyList<Received> Deliveries => [.. _requests.Where(r => r.Method == "POST")];

    /// <summary>The accepted deliveries, first copy of each id, in arrival order (what a de-duplicating receiver keeps).</summary>
    public IReadOnlyList<Received> Accepted { get; private set; } = [];

    private readonly List<Received> _accepted = [];
    private readonly HashSet<string> _seen = [];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        var signature = request.Headers["webhook-signature"];
        var valid = Secret is not null && id is not null && timestamp is not null
                    && signature == EventSender.Sign(Secret, id, long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(body));
        var received = new Received(request.HttpMethod, request.ContentType, id, timestamp, signature, body, valid) { Headers = request.Headers };
        _requests.Enqueue(received);

        if (request.HttpMethod == "OPTIONS")
        {
            response.StatusCode = RefuseHandshake ? 403 : 200;
            if (!RefuseHandshake)
            {
                response.Headers["WebHook-Allowed-Origin"] = request.Headers["WebHook-Request-Origin"] ?? "*";
            }
        }
        else
        {
            response.StatusCode = (int)Answer;
            if (Answer == HttpStatusCode.Found)
            {
                response.Headers["Location"] = "http://127.0.0.1:1/elsewhere";
            }
            if (Answer == HttpStatusCode.OK && id is not null)
            {
                lock (_accepted)
                {
                    if (_seen.Add(id)) _accepted.Add(received);
                    Accepted = [.. _accepted];
                }
            }
        }
        response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The loop ends with the listener; nothing to report.
        }
    }
}
