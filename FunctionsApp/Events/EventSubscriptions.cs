using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;

namespace ComponentCatalog.Events;

/// <summary>The body of <c>POST /api/subscriptions</c>.</summary>
internal sealed record SubscriptionRequest(string? Endpoint, string? Kind, SubscriptionFilterRequest? Filter, string? Secret);

internal sealed record SubscriptionFilterRequest(
    IReadOnlyList<string>? Types, IReadOnlyList<string>? Owners, IReadOnlyList<string>? Tags, IReadOnlyList<string>? Names);

/// <summary>
/// Who may manage which subscription, and what a new one must satisfy (docs/events.md). Admins manage every
/// subscription; writers those whose owner filter names only their teams (so they hear only about their
/// teams' components). Others' subscriptions are not found, not forbidden: their existence is not disclosed.
/// </summary>
internal sealed class EventSubscriptions(SubscriptionStore store, OutboundGuard guard, EventDelivery delivery, TimeProvider clock, EventsOptions options)
{
    private const int MaxFilterValues = 50;

    public async Task<(Subscription Created, string Secret)> CreateAsync(SubscriptionRequest request, CatalogUser user, CancellationToken ct = default)
    {
        var kind = request.Kind ?? EventSender.WebhookKind;
        if (kind is not (EventSender.WebhookKind or EventSender.EventGridKind))
        {
            throw new ValidationException("kind", "'kind' is 'webhook' (the default) or 'eventgrid'.");
        }
        var filter = Filter(request.Filter);
        if (!user.IsAtLeast(CatalogRole.Admin) && (filter.Owners.Count == 0 || !filter.Owners.All(user.CanWriteFor)))
        {
            throw new ForbiddenException(
                $"Writers subscribe to their teams' components: set filter.owners to some of {string.Join(", ", user.Teams.Order())}.");
        }
        var endpoint = await Endpoint(request.Endpoint, kind, ct);
        var secret = kind == EventSender.EventGridKind ? string.Empty : request.Secret ?? EventSender.NewSecret();
        if (kind == EventSender.WebhookKind && !EventSender.IsValidSecret(secret))
        {
            throw new ValidationException("secret", "A secret is 'whsec_' and 24 to 64 bytes in base64 (Standard Webhooks); leave it out to get one.");
        }
        if ((await store.ListAsync(ct)).Count >= options.MaxSubscriptions)
        {
            throw new ConflictException($"The catalog has its maximum of {options.MaxSubscriptions} subscriptions; delete one first.");
        }

        var now = clock.GetUtcNow();
        var subscription = new Subscription
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = kind,
            Endpoint = endpoint.AbsoluteUri,
            Filter = filter,
            CreatedBy = user.Id,
            CreatedAt = now,
            Secret = secret.Length == 0 ? null : secret,
            // From now on: changes announced after the subscription exists.
            Cursor = now.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "~",
        };
        await store.AddAsync(subscription, ct);
        return (subscription, secret);
    }

    public async Task<IReadOnlyList<Subscription>> ListAsync(CatalogUser user, CancellationToken ct = default) =>
        [.. (await store.ListAsync(ct)).Where(s => CanManage(user, s))];

    public async Task<Subscription> GetAsync(string id, CatalogUser user, CancellationToken ct = default)
    {
        var subscription = IsId(id) ? await store.GetAsync(id, ct) : null;
        return subscription is not null && CanManage(user, subscription)
            ? subscription
            : throw new NotFoundException($"No subscription '{id}'.");
    }

    public async Task DeleteAsync(string id, CatalogUser user, CancellationToken ct = default)
    {
        await GetAsync(id, user, ct);
        await store.DeleteAsync(id, ct);
    }

    public async Task<(List<DeliveryAttempt> Attempts, List<DeadLetter> DeadLetters)> DeliveriesAsync(string id, CatalogUser user, CancellationToken ct = default)
    {
        await GetAsync(id, user, ct);
        return await store.ListDeliveriesAsync(id, ct);
    }

    public async Task<DeliveryAttempt> RedeliverAsync(string id, string eventId, CatalogUser user, CancellationToken ct = default)
    {
        var subscription = await GetAsync(id, user, ct);
        var letter = await store.GetDeadLetterAsync(id, eventId, ct)
                     ?? throw new NotFoundException($"Subscription '{id}' has no dead letter '{eventId}'.");
        return await delivery.RedeliverAsync(subscription, letter, ct);
    }

    private static bool CanManage(CatalogUser user, Subscription subscription) =>
        user.IsAtLeast(CatalogRole.Admin) || (subscription.Filter.Owners.Count > 0 && subscription.Filter.Owners.All(user.CanWriteFor));

    private async Task<Uri> Endpoint(string? value, string kind, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2048 || !Uri.TryCreate(value, UriKind.Absolute, out var endpoint))
        {
            throw new ValidationException("endpoint", "'endpoint' is an absolute https URL of at most 2048 characters.");
        }
        if (kind == EventSender.EventGridKind
            && (endpoint.Scheme != "https" || !endpoint.Host.EndsWith(".eventgrid.azure.net", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ValidationException("endpoint", "An Event Grid target is a topic endpoint: https://<topic>.<region>.eventgrid.azure.net/api/events.");
        }
        try
        {
            await guard.EnsureAllowedAsync(endpoint, ct);
        }
        catch (OutboundRefusedException e)
        {
            throw new ValidationException("endpoint", e.Message);
        }
        return endpoint;
    }

    private static SubscriptionFilter Filter(SubscriptionFilterRequest? filter)
    {
        var types = Values(filter?.Types, "filter.types");
        if (types.FirstOrDefault(t => !ChangeTypes.All.Contains(t)) is { } unknown)
        {
            throw new ValidationException("filter.types", $"'{unknown}' is not an event type; use {string.Join(", ", ChangeTypes.All.Order())}.");
        }
        var names = Values(filter?.Names, "filter.names");
        if (names.FirstOrDefault(n => !Names.IsValid(n)) is { } bad)
        {
            throw new ValidationException("filter.names", $"'{bad}' is not a component name.");
        }
        return new SubscriptionFilter(types, Values(filter?.Owners, "filter.owners"), Values(filter?.Tags, "filter.tags"), names);
    }

    private static IReadOnlyList<string> Values(IReadOnlyList<string>? values, string field)
    {
        if (values is null) return [];
        if (values.Count > MaxFilterValues || values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 100))
        {
            throw new ValidationException(field, $"'{field}' holds up to {MaxFilterValues} non-empty values of at most 100 characters.");
        }
        return [.. values.Distinct(StringComparer.Ordinal)];
    }

    private static bool IsId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
