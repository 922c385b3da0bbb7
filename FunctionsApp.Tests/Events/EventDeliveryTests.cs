using System.Net;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.Events;

/// <summary>
/// Webhook delivery to a real HTTP receiver on 127.0.0.1 (Development rules: loopback http allowed), with the
/// catalog on real Azurite and time driven by a fake clock: handshake first, signatures, outages, dead letters,
/// redelivery, filters and rights.
/// </summary>
[TestClass]
public sealed class EventDeliveryTests
{
    private CatalogUnderTest _sut = null!;
    private EventsHarness _events = null!;
    private WebhookReceiver _receiver = null!;

    [TestInitialize]
    public void Init()
    {
        _sut = TestStorage.CreateCatalog();
        _sut.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        _events = new EventsHarness(_sut);
        _receiver = new WebhookReceiver();
    }

    [TestCleanup]
    public async Task Cleanup() => await _receiver.DisposeAsync();

    [TestMethod]
    public async Task Delivery_HandshakesFirst_ThenSignedCloudEvents()
    {
        await SubscribeAsync();
        var created = await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.PutAsync("payments-api", Documents.Full(), new Preconditions(created.ETag, null), Users.Payments);
        _events.PastHorizon();

        var delivered = await _events.Delivery.RunAsync();

        Assert.AreEqual(2, delivered);
        var requests = _receiver.Requests;
        Assert.AreEqual("OPTIONS", requests[0].Method, "the validation handshake comes first");
        Assert.IsTrue(_receiver.Deliveries.All(d => d.SignatureValid), "every delivery verifies with the secret");
        Assert.IsTrue(_receiver.Deliveries.All(d => d.ContentType!.StartsWith("application/cloudevents+json", StringComparison.Ordinal)));
        CollectionAssert.AreEqual(new[] { ChangeTypes.Created, ChangeTypes.Updated },
            _receiver.Deliveries.Select(d => d.Event["type"]!.GetValue<string>()).ToArray());
        Assert.AreEqual(_receiver.Deliveries[0].Id, _receiver.Deliveries[0].Event["id"]!.GetValue<string>(), "webhook-id is the event id");
        Assert.AreEqual(1, requests.Count(r => r.Method == "OPTIONS"), "one handshake per subscription");
    }

    [TestMethod]
    public async Task LocalCommit_WakesTheLoop_WhichDeliversOncePastTheHorizon_WithoutTheTimer()
    {
        await SubscribeAsync();
        using var loop = new LocalDelivery(_sut.Signal, _events.Delivery, NullLogger<LocalDelivery>.Instance);
        await loop.StartAsync(CancellationToken.None);

        var created = await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.PutAsync("payments-api", Documents.Full(), new Preconditions(created.ETag, null), Users.Payments);
        var early = _receiver.Accepted.Count;
        _events.PastHorizon();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_receiver.Accepted.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            _sut.Clock.Advance(TimeSpan.FromMilliseconds(20)); // time goes on: the loop's wait ends however it raced the advance above
        }
        await loop.StopAsync(CancellationToken.None);

        Assert.AreEqual(0, early, "nothing is read from the feed before the horizon");
        CollectionAssert.AreEqual(new[] { ChangeTypes.Created, ChangeTypes.Updated },
            _receiver.Accepted.Select(d => d.Event["type"]!.GetValue<string>()).ToArray(), "both commits delivered, in order, by the woken loop");
    }

    [TestMethod]
    public async Task ReceiverDown_ThenBack_GetsEveryEventOnce_InOrder()
    {
        var id = await SubscribeAsync();
        _receiver.Answer = HttpStatusCode.ServiceUnavailable;
        var etag = (await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments)).ETag;
        for (var i = 0; i < 4; i++)
        {
            etag = (await _sut.Catalog.PutAsync("payments-api", Documents.Minimal($"Payments v{i}"), new Preconditions(etag, null), Users.Payments)).Stored.ETag;
        }
        _events.PastHorizon();

        for (var outage = 0; outage < 5; outage++)
        {
            await _events.Delivery.RunAsync();
            _sut.Clock.Advance(TimeSpan.FromMinutes(10)); // past any backoff so far
        }
        var failing = (await _events.Store.GetAsync(id))!;
        Assert.IsGreaterThanOrEqualTo(5, failing.Attempts, "each run retried the first event");
        Assert.IsEmpty(_receiver.Accepted);

        _receiver.Answer = HttpStatusCode.OK;
        for (var run = 0; run < 3 && _receiver.Accepted.Count < 5; run++)
        {
            _sut.Clock.Advance(TimeSpan.FromHours(2));
            await _events.Delivery.RunAsync();
        }

        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, _receiver.Accepted.Select(a => a.Event["data"]!["revision"]!.GetValue<int>()).ToArray(),
            "every event once, in commit order");
        var (attempts, dead) = await _events.Store.ListDeliveriesAsync(id);
        Assert.IsEmpty(dead);
        Assert.IsTrue(attempts.Any(a => a.Outcome == "failed" && a.StatusCode == 503), "the deliveries log shows the failed attempts");
        Assert.AreEqual(5, attempts.Count(a => a.Outcome == "delivered"));
    }

    [TestMethod]
    public async Task AlwaysFailing_EndsInDeadLetters_AfterTheRetryWindow_AndCanBeRedelivered()
    {
        var id = await SubscribeAsync();
        _receiver.Answer = HttpStatusCode.InternalServerError;
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.CreateAsync(Documents.Minimal("Ledger"), Users.Payments);
        _events.PastHorizon();

        for (var run = 0; run < 100 && (await _events.Store.ListDeliveriesAsync(id)).DeadLetters.Count < 2; run++)
        {
            await _events.Delivery.RunAsync();
            _sut.Clock.Advance(TimeSpan.FromHours(1.5));
        }
        var (attempts, dead) = await _events.Store.ListDeliveriesAsync(id);
        Assert.HasCount(2, dead, $"both events dead-lettered after 24 h; attempts: {attempts.Count}");
        Assert.IsTrue(attempts.All(a => a.Outcome is "failed" or "dead-lettered"));
        var first = attempts.Where(a => a.EventId == dead[0].EventId).Min(a => a.At);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromHours(24), dead[0].DeadAt - first, "retried for the whole window");

        _receiver.Answer = HttpStatusCode.OK;
        var redelivered = await _events.Subscriptions.RedeliverAsync(id, dead[0].EventId, Users.Admin);

        Assert.AreEqual("redelivered", redelivered.Outcome);
        Assert.AreEqual(dead[0].EventId, _receiver.Accepted.Single().Id);
        Assert.IsTrue(_receiver.Accepted.Single().SignatureValid);
        Assert.HasCount(1, (await _events.Store.ListDeliveriesAsync(id)).DeadLetters, "the redelivered one left the dead letters");
    }

    [TestMethod]
    public async Task AttemptsLog_KeepsTheNewest_AndEveryDeadLetter()
    {
        var id = await SubscribeAsync();
        var change = ChangeEvent.ForState("dead-1", ChangeTypes.Deleted, _sut.Clock.GetUtcNow(), "payments-api", 1, "payments", [], "pay@test", null);
        await _events.Store.AddDeadLetterAsync(id, new DeadLetter("dead-1", "p", _sut.Clock.GetUtcNow(), 40, 500, "down", change));
        var keep = _events.Options.KeepAttempts;

        for (var i = 0; i < keep * 3; i++)
        {
            await _events.Store.LogAttemptAsync(id, new DeliveryAttempt($"e{i:D4}", ChangeTypes.Updated, "payments-api", _sut.Clock.GetUtcNow(), "delivered", 200, null, 1));
        }

        var stored = new List<string>();
        await foreach (var row in _sut.Tables.Deliveries.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == id))
        {
            stored.Add(row.RowKey.StartsWith("d.", StringComparison.Ordinal) ? row.RowKey : row.GetString("EventId")!);
        }
        Assert.IsLessThanOrEqualTo(keep + keep / 4 + 1, stored.Count, $"{keep * 3} attempts logged, the log stays bounded; stored {stored.Count} rows");
        CollectionAssert.Contains(stored, "d.dead-1", "dead letters are never trimmed");
        CollectionAssert.Contains(stored, $"e{keep * 3 - 1:D4}", "the newest attempt is kept");
        CollectionAssert.DoesNotContain(stored, "e0000", "the oldest attempts are gone");
        var (attempts, dead) = await _events.Store.ListDeliveriesAsync(id);
        Assert.AreEqual($"e{keep * 3 - 1:D4}", attempts[0].EventId, "listed newest first");
        Assert.AreEqual("dead-1", dead.Single().EventId);
    }

    [TestMethod]
    public async Task RefusedHandshake_DeliversNothing()
    {
        var id = await SubscribeAsync();
        _receiver.RefuseHandshake = true;
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        _events.PastHorizon();

        await _events.Delivery.RunAsync();

        Assert.IsEmpty(_receiver.Deliveries, "no event before a successful handshake");
        var subscription = (await _events.Store.GetAsync(id))!;
        Assert.IsFalse(subscription.Validated);
        Assert.AreEqual(403, subscription.LastStatus);
    }

    [TestMethod]
    public async Task Filters_DeliverOnlyMatchingEvents_AndWritersSubscribeOnlyToTheirTeams()
    {
        await SubscribeAsync(Users.Payments, new SubscriptionFilterRequest([ChangeTypes.Created], ["payments"], null, null));
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        await _sut.Catalog.CreateAsync(Documents.Minimal("Login", "identity"), Users.Identity);
        _events.PastHorizon();

        await _events.Delivery.RunAsync();

        CollectionAssert.AreEqual(new[] { "payments-api" }, _receiver.Accepted.Select(a => a.Event["subject"]!.GetValue<string>()).ToArray());
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _events.Subscriptions.CreateAsync(
            new SubscriptionRequest(_receiver.Url, null, null, null), Users.Payments));
        await Assert.ThrowsExactlyAsync<ForbiddenException>(() => _events.Subscriptions.CreateAsync(
            new SubscriptionRequest(_receiver.Url, null, new SubscriptionFilterRequest(null, ["identity"], null, null), null), Users.Payments));
        Assert.IsEmpty(await _events.Subscriptions.ListAsync(Users.Identity), "another team's subscription is not listed");
        var theirs = (await _events.Store.ListAsync())[0].Id;
        await Assert.ThrowsExactlyAsync<NotFoundException>(() => _events.Subscriptions.GetAsync(theirs, Users.Identity));
    }

    [TestMethod]
    public async Task Redirect_IsNotFollowed()
    {
        var id = await SubscribeAsync();
        _receiver.Answer = HttpStatusCode.Found;
        await _sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        _events.PastHorizon();

        await _events.Delivery.RunAsync();

        var (attempts, _) = await _events.Store.ListDeliveriesAsync(id);
        Assert.AreEqual(302, attempts.Single().StatusCode);
        StringAssert.Contains(attempts.Single().Error, "Redirects are not followed");
        Assert.AreEqual(1, (await _events.Store.GetAsync(id))!.Attempts, "a redirect is a failed attempt, retried later");
    }

    [TestMethod]
    public async Task Run_NoSubscriptions_BacksOffThenDeliversAtOnceWhenOneIsAdded()
    {
        var counter = new CountingPolicy(m => m.Request.Uri.Path.Contains("Subscriptions", StringComparison.Ordinal));
        var clientOptions = new Azure.Data.Tables.TableClientOptions();
        clientOptions.AddPolicy(counter, Azure.Core.HttpPipelinePosition.PerCall);
        var sut = TestStorage.CreateCatalog(clientOptions: clientOptions);
        sut.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        var events = new EventsHarness(sut);
        await events.Delivery.RunAsync();
        var first = counter.Count;

        for (var second = 0; second < 120; second++)
        {
            sut.Clock.Advance(TimeSpan.FromSeconds(1));
            await events.Delivery.RunAsync();
        }
        var listed = counter.Count - first;
        var (created, secret) = await events.Subscriptions.CreateAsync(new SubscriptionRequest(_receiver.Url, null, null, null), Users.Admin);
        _receiver.Secret = secret;
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        events.PastHorizon();
        var delivered = await events.Delivery.RunAsync();

        Assert.IsGreaterThan(0, first, "the first run lists the subscriptions");
        Assert.IsLessThanOrEqualTo(120 / (int)EventDelivery.MaxQuiet.TotalSeconds + 6, listed, $"120 idle runs a second apart listed {listed} times: no back-off");
        Assert.IsGreaterThan(0, listed, "the quiet spell is bounded: subscriptions added elsewhere are found");
        Assert.AreEqual(1, delivered, $"a subscription added on this instance ends the quiet spell ({created.Id})");
    }

    private async Task<string> SubscribeAsync(CatalogUser? user = null, SubscriptionFilterRequest? filter = null)
    {
        var (created, secret) = await _events.Subscriptions.CreateAsync(new SubscriptionRequest(_receiver.Url, null, filter, null), user ?? Users.Admin);
        _receiver.Secret = secret;
        return created.Id;
    }
}
