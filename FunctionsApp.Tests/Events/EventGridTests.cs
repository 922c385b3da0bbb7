using System.Text.Json.Nodes;
using Azure;
using Azure.Messaging.EventGrid;
using ComponentCatalog.Events;
using ComponentCatalog.Tests.Support;

namespace ComponentCatalog.Tests.Events;

/// <summary>
/// The Event Grid target against a local receiver that checks what an Event Grid topic accepts for the CloudEvents
/// schema: a POST of a JSON array of structured CloudEvents, <c>application/cloudevents-batch+json</c>, the key in
/// <c>aeg-sas-key</c>. The publisher is the SDK's own <see cref="EventGridPublisherClient"/> over the app's guarded
/// HTTP client; only the credential differs (a key: the SDK refuses bearer tokens over plain http, so the managed
/// identity token itself is not exercised here).
/// </summary>
[TestClass]
public sealed class EventGridTests
{
    [TestMethod]
    public async Task EventGridKind_PostsACloudEventsBatch_TheWayATopicExpects()
    {
        var sut = TestStorage.CreateCatalog();
        var events = new EventsHarness(sut);
        await using var topic = new WebhookReceiver();
        var sender = new EventSender(events.Guard, events.Options, sut.Clock)
        {
            TopicClient = (endpoint, options) => new EventGridPublisherClient(endpoint, new AzureKeyCredential("local-topic-key"), options),
        };
        var subscription = new Subscription
        {
            Id = Guid.NewGuid().ToString("N"), Kind = EventSender.EventGridKind, Endpoint = topic.Url.Replace("/hook", "/api/events", StringComparison.Ordinal),
            Filter = SubscriptionFilter.All, CreatedBy = "admin@test",
        };
        var change = ChangeEvent.ForRevision("w1", sut.Clock.GetUtcNow(), "payments-api", 2, created: false, "identity", "payments",
            ["billing"], [new ChangedSection("Caching", "modified")], "pay@test", 84);

        var handshake = await sender.HandshakeAsync(subscription, CancellationToken.None);
        var result = await sender.SendAsync(subscription, change, CancellationToken.None);

        Assert.IsTrue(handshake.Delivered, "no webhook handshake for a topic: Event Grid authenticates the publisher instead");
        Assert.IsTrue(result.Delivered, result.Error);
        var request = topic.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        StringAssert.StartsWith(request.ContentType, "application/cloudevents-batch+json");
        Assert.AreEqual("local-topic-key", request.Headers["aeg-sas-key"], "the topic's key header");
        var batch = JsonNode.Parse(request.Body)!.AsArray();
        var cloudEvent = batch.Single()!.AsObject();
        Assert.AreEqual("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.AreEqual("w1", cloudEvent["id"]!.GetValue<string>());
        Assert.AreEqual("https://catalog.example.com", cloudEvent["source"]!.GetValue<string>());
        Assert.AreEqual(ChangeTypes.OwnerChanged, cloudEvent["type"]!.GetValue<string>());
        Assert.AreEqual("payments-api", cloudEvent["subject"]!.GetValue<string>());
        Assert.IsNotNull(cloudEvent["time"]);
        Assert.AreEqual("application/json", cloudEvent["datacontenttype"]!.GetValue<string>());
        Assert.AreEqual("payments", cloudEvent["data"]!["previousOwner"]!.GetValue<string>(), "data is the JSON object, not a string");
        Assert.AreEqual(84, cloudEvent["data"]!["score"]!.GetValue<int>());
        Assert.IsNull(cloudEvent["data_base64"]);
    }
}
