using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>Change events (docs/events.md): the pull feed, webhook and Event Grid subscriptions, their deliveries, the delivery timer.</summary>
internal sealed class EventsFunctions(ChangeFeed feed, EventSubscriptions subscriptions, EventDelivery delivery, EventsOptions options)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function("ListChanges")]
    public async Task<HttpResponseData> ListChanges(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/changes")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var p = new QueryParameters(req.Query);
        var page = await feed.ReadAsync(p.String("after"), p.Int("limit", 1, ChangeFeed.MaxLimit, 100), ct);
        return await req.JsonAsync(new { items = page.Items.Select(i => i.Event.ToCloudEvent(options.Source)), cursor = page.Cursor });
    }

    [Function("CreateSubscription")]
    public async Task<HttpResponseData> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        if (req.MediaType() != "application/json")
        {
            throw new UnsupportedMediaTypeException("Send the subscription as application/json.");
        }
        var request = RequestBody.DeserializeStrict<SubscriptionRequest>(await req.ReadTextAsync(MaxBodyBytes, ct));
        var (created, secret) = await subscriptions.CreateAsync(request, user, ct);
        var response = await req.JsonAsync(new { subscription = created.ToView(), secret = secret.Length == 0 ? null : secret }, HttpStatusCode.Created);
        response.Headers.Add("Location", $"/api/subscriptions/{created.Id}");
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }

    [Function("ListSubscriptions")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var items = await subscriptions.ListAsync(context.GetUser(), ct);
        return await req.JsonAsync(new { items = items.Select(s => s.ToView()) });
    }

    [Function("GetSubscription")]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/{id}")] HttpRequestData req,
        string id, FunctionContext context, CancellationToken ct) =>
        await req.JsonAsync((await subscriptions.GetAsync(id, context.GetUser(), ct)).ToView());

    [Function("DeleteSubscription")]
    public async Task<HttpResponseData> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/subscriptions/{id}")] HttpRequestData req,
        string id, FunctionContext context, CancellationToken ct)
    {
        await subscriptions.DeleteAsync(id, context.GetUser(), ct);
        return req.Empty(HttpStatusCode.NoContent);
    }

    [Function("ListDeliveries")]
    public async Task<HttpResponseData> Deliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/{id}/deliveries")] HttpRequestData req,
        string id, FunctionContext context, CancellationToken ct)
    {
        var (attempts, deadLetters) = await subscriptions.DeliveriesAsync(id, context.GetUser(), ct);
        return await req.JsonAsync(new
        {
            attempts,
            deadLetters = deadLetters.Select(d => new
            {
                eventId = d.EventId, deadAt = d.DeadAt, attempts = d.Attempts, lastStatus = d.LastStatus, lastError = d.LastError,
                @event = d.Event.ToCloudEvent(options.Source),
            }),
        });
    }

    [Function("RedeliverEvent")]
    public async Task<HttpResponseData> Redeliver(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions/{id}/deliveries/{eventId}/redeliver")] HttpRequestData req,
        string id, string eventId, FunctionContext context, CancellationToken ct) =>
        await req.JsonAsync(await subscriptions.RedeliverAsync(id, eventId, context.GetUser(), ct));

    [Function("DeliverEvents")]
    public Task DeliverEvents([TimerTrigger("%Maintenance__DeliverEventsSchedule%")] TimerInfo timer, CancellationToken ct) =>
        delivery.RunAsync(ct);
}
