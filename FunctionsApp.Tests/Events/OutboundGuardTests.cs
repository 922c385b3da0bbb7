using System.Net;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Events;

/// <summary>Server-side request forgery: targets refused at subscription time and again at delivery time (DNS rebinding).</summary>
[TestClass]
public sealed class OutboundGuardTests
{
    [TestMethod]
    [DataRow("https://10.1.2.3/hook")]
    [DataRow("https://192.168.1.10/hook")]
    [DataRow("https://172.16.5.5/hook")]
    [DataRow("https://169.254.169.254/metadata/instance")]
    [DataRow("https://100.64.0.1/hook")]
    [DataRow("https://[fd00::1]/hook")]
    [DataRow("https://[fe80::1]/hook")]
    [DataRow("https://[::ffff:10.0.0.1]/hook")]
    [DataRow("https://0.0.0.0/hook")]
    [DataRow("https://internal.example.test/hook")]
    [DataRow("ftp://hooks.example.com/hook")]
    [DataRow("https://user:pass@hooks.example.com/hook")]
    public async Task Subscribe_PrivateOrBadTargets_AreRefused(string endpoint)
    {
        var events = new EventsHarness(TestStorage.CreateCatalog(), allowLoopback: true, resolve: FakeDns);

        var e = await Assert.ThrowsExactlyAsync<ValidationException>(() =>
            events.Subscriptions.CreateAsync(new SubscriptionRequest(endpoint, null, null, null), Users.Admin));

        StringAssert.Contains(e.Errors.Keys.Single(), "endpoint");
    }

    [TestMethod]
    [DataRow("http://127.0.0.1:9/hook")]
    [DataRow("http://[::1]:9/hook")]
    [DataRow("https://[::1]:9/hook")]
    [DataRow("http://localhost:9/hook")]
    [DataRow("http://hooks.example.com/hook")]
    public async Task Subscribe_LoopbackOrPlainHttp_AreRefusedOutsideDevelopment(string endpoint)
    {
        var events = new EventsHarness(TestStorage.CreateCatalog(), allowLoopback: false, resolve: FakeDns);

        await Assert.ThrowsExactlyAsync<ValidationException>(() =>
            events.Subscriptions.CreateAsync(new SubscriptionRequest(endpoint, null, null, null), Users.Admin));
    }

    [TestMethod]
    public async Task Subscribe_PublicHttpsTarget_IsAccepted_AndItsSecretIsNotShownAgain()
    {
        var events = new EventsHarness(TestStorage.CreateCatalog(), allowLoopback: false, resolve: FakeDns);

        var (created, secret) = await events.Subscriptions.CreateAsync(new SubscriptionRequest("https://hooks.example.com/hook", null, null, null), Users.Admin);

        Assert.IsTrue(EventSender.IsValidSecret(secret), secret);
        var listed = System.Text.Json.JsonSerializer.Serialize((await events.Subscriptions.GetAsync(created.Id, Users.Admin)).ToView());
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain("whsec_", listed);
    }

    [TestMethod]
    public async Task Delivery_ToAHostThatNowResolvesPrivately_IsRefusedBeforeConnecting()
    {
        var sut = TestStorage.CreateCatalog();
        sut.Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        var rebound = false;
        var events = new EventsHarness(sut, allowLoopback: false, resolve: (host, ct) =>
            Task.FromResult(new[] { rebound ? IPAddress.Parse("169.254.169.254") : IPAddress.Parse("8.8.8.8") }));
        var (created, _) = await events.Subscriptions.CreateAsync(new SubscriptionRequest("https://rebind.example.com/hook", null, null, null), Users.Admin);
        rebound = true;
        await sut.Catalog.CreateAsync(Documents.Minimal(), Users.Payments);
        events.PastHorizon();

        await events.Delivery.RunAsync();

        var (attempts, _) = await events.Store.ListDeliveriesAsync(created.Id);
        StringAssert.Contains(attempts.Single().Error, "169.254.169.254");
        Assert.IsNull(attempts.Single().StatusCode, "no request was made");
    }

    [TestMethod]
    public async Task EventGridTarget_MustBeATopicEndpoint()
    {
        var events = new EventsHarness(TestStorage.CreateCatalog(), allowLoopback: false, resolve: FakeDns);

        await Assert.ThrowsExactlyAsync<ValidationException>(() => events.Subscriptions.CreateAsync(
            new SubscriptionRequest("https://hooks.example.com/api/events", "eventgrid", null, null), Users.Admin));
        var (created, secret) = await events.Subscriptions.CreateAsync(
            new SubscriptionRequest("https://catalog.westeurope-1.eventgrid.azure.net/api/events", "eventgrid", null, null), Users.Admin);
        Assert.AreEqual("eventgrid", created.Kind);
        Assert.AreEqual(string.Empty, secret, "Event Grid authenticates the app's identity; there is no secret");
    }

    private static Task<IPAddress[]> FakeDns(string host, CancellationToken ct) => Task.FromResult(host switch
    {
        "internal.example.test" => new[] { IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.7") },
        "localhost" => [IPAddress.Loopback],
        _ => [IPAddress.Parse("8.8.8.8")],
    });
}
