using System.Net;
using ComponentCatalog.Events;
using ComponentCatalog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.Support;

/// <summary>The change-event components over one test catalog's tables and clock.</summary>
internal sealed class EventsHarness
{
    public EventsHarness(CatalogUnderTest sut, bool allowLoopback = true, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        Sut = sut;
        Options = new EventsOptions { Source = "https://catalog.example.com", AllowLoopbackHttp = allowLoopback, DeliveryTimeoutSeconds = 5, KeepAttempts = 50 };
        Guard = new OutboundGuard(Options, resolve);
        Feed = new ChangeFeed(sut.Tables, sut.Store, sut.Clock, Options);
        Store = new SubscriptionStore(sut.Tables, Options);
        Sender = new EventSender(Guard, Options, sut.Clock);
        Delivery = new EventDelivery(Feed, Store, Sender, new JobStore(sut.Tables), sut.Clock, Options, NullLogger<EventDelivery>.Instance);
        Subscriptions = new EventSubscriptions(Store, Guard, Delivery, sut.Clock, Options);
    }

    public CatalogUnderTest Sut { get; }
    public EventsOptions Options { get; }
    public OutboundGuard Guard { get; }
    public ChangeFeed Feed { get; }
    public SubscriptionStore Store { get; }
    public EventSender Sender { get; }
    public EventDelivery Delivery { get; }
    public EventSubscriptions Subscriptions { get; }

    /// <summary>Moves the clock past the feed's horizon, so what was just committed can be read.</summary>
    public void PastHorizon() => Sut.Clock.Advance(Options.Horizon + TimeSpan.FromMilliseconds(10));

    /// <summary>Every event from <paramref name="after"/> on, page by page (bounded: fails past 200 pages).</summary>
    public async Task<(List<FeedItem> Items, string Cursor)> ReadAllAsync(string? after = null, int limit = 100)
    {
        var items = new List<FeedItem>();
        var cursor = after;
        for (var pages = 0; pages < 200; pages++)
        {
            var page = await Feed.ReadAsync(cursor, limit);
            items.AddRange(page.Items);
            cursor = page.Cursor;
            if (page.Items.Count < limit)
            {
                return (items, cursor);
            }
        }
        throw new AssertFailedException($"The feed did not end within 200 pages; read {items.Count} events.");
    }
}
