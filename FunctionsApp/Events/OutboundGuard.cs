using System.Net;
using System.Net.Sockets;

namespace ComponentCatalog.Events;

/// <summary>A target the catalog will not call: why, for the subscriber's problem details and the deliveries log.</summary>
internal sealed class OutboundRefusedException(string reason) : Exception(reason);

/// <summary>
/// Where the catalog may send events (server-side request forgery defence, docs/adr/0060-change-events.md):
/// <c>https</c> only (plain <c>http</c> to loopback only when <see cref="EventsOptions.AllowLoopbackHttp"/>),
/// no credentials in the URL, and hosts that resolve only to public addresses — checked when a subscription is
/// made and again at every connection: the client resolves the name itself and connects to the address it
/// checked, so a name that later resolves elsewhere (DNS rebinding) is refused. Redirects are never followed.
/// </summary>
internal sealed class OutboundGuard
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private readonly bool _allowLoopback;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public OutboundGuard(EventsOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allowLoopback = options.AllowLoopbackHttp == true;
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        Client = CreateClient(TimeSpan.FromSeconds(options.DeliveryTimeoutSeconds));
    }

    /// <summary>The one client for subscriber calls: guarded connections, no redirects, no cookies, short timeouts.</summary>
    public HttpClient Client { get; }

    /// <summary>Checks a subscription's target; throws <see cref="OutboundRefusedException"/> with the reason.</summary>
    public async Task EnsureAllowedAsync(Uri target, CancellationToken ct = default)
    {
        if (!target.IsAbsoluteUri || target.Scheme is not ("https" or "http"))
        {
            throw new OutboundRefusedException("The target must be an absolute https URL.");
        }
        if (target.UserInfo.Length > 0)
        {
            throw new OutboundRefusedException("The target must not carry credentials; the signature authenticates the catalog.");
        }
        var addresses = await ResolveAsync(target.IdnHost, ct);
        if (target.Scheme == "http" && !(_allowLoopback && addresses.All(IPAddress.IsLoopback)))
        {
            throw new OutboundRefusedException("The target must use https (plain http only to loopback in Development).");
        }
    }

    /// <summary>The addresses of a host, every one of them allowed; else <see cref="OutboundRefusedException"/>.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, ct);
            }
            catch (SocketException)
            {
                throw new OutboundRefusedException($"The host '{host}' does not resolve.");
            }
        }
        if (addresses.Length == 0)
        {
            throw new OutboundRefusedException($"The host '{host}' does not resolve.");
        }
        if (addresses.FirstOrDefault(a => !IsAllowed(a)) is { } refused)
        {
            throw new OutboundRefusedException($"The host '{host}' resolves to {refused}, a private, loopback, link-local or reserved address.");
        }
        return addresses;
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return _allowLoopback;
        }
        return !Refused.Any(n => n.Contains(address));
    }

    private HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, ct) =>
            {
                // Resolve here and connect to the checked address: the name cannot resolve to another one in between.
                var addresses = await ResolveAsync(context.DnsEndPoint.Host, ct);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout, MaxResponseContentBufferSize = 64 * 1024 };
    }
}
