using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using ComponentCatalog.Storage;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Catalog;

/// <summary>
/// The component documents: create, read, replace, patch, soft delete, restore, history.
/// Reads go through a short-lived per-instance cache (docs/adr/0002-caching.md); writes on this
/// instance replace the cached entry, other instances see them within <c>Catalog:CacheSeconds</c>.
/// </summary>
public sealed partial class ComponentCatalog(
    ComponentStore store, ComponentSearch search, ComponentQuality quality, IMemoryCache cache, TimeProvider clock, CatalogOptions options,
    ILogger<ComponentCatalog> logger)
{
    private const int MaxStarRetries = 3;

    public async Task<StoredDocument> GetAsync(string name, CancellationToken ct = default)
    {
        EnsureName(name);
        if (cache.TryGetValue(CacheKey(name), out StoredDocument? cached) && cached is not null)
        {
            return cached;
        }

        var (head, json) = await store.ReadCurrentAsync(name, ct);
        if (head is null || head.Deleted || head.Purging)
        {
            throw NotFound(name);
        }

        var stored = json is null ? await ReadAsync(name, head.Revision, ct) : ToStored(json, head.Revision);
        Remember(stored);
        return stored;
    }

    public async Task<StoredDocument> GetRevisionAsync(string name, int revision, CancellationToken ct = default)
    {
        EnsureName(name);
        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Deleted || revision < 1 || revision > head.Revision)
        {
            throw new NotFoundException($"Component '{name}' has no revision {revision}.");
        }
        return await ReadAsync(name, revision, ct);
    }

    /// <summary>
    /// Two revisions to compare: <paramref name="to"/> defaults to the current one, <paramref name="from"/> to
    /// the one before <paramref name="to"/>.
    /// </summary>
    public async Task<(StoredDocument From, StoredDocument To)> DiffAsync(string name, int? from, int? to, CancellationToken ct = default)
    {
        EnsureName(name);
        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Deleted || head.Purging)
        {
            throw NotFound(name);
        }
        var newer = to ?? head.Revision;
        var older = from ?? Math.Max(1, newer - 1);
        if (older > newer)
        {
            throw new ValidationException("from", "'from' must not be after 'to'.");
        }
        return (await GetRevisionAsync(name, older, ct), await GetRevisionAsync(name, newer, ct));
    }

    public async Task<IReadOnlyList<RevisionInfo>> ListRevisionsAsync(string name, CancellationToken ct = default)
    {
        EnsureName(name);
        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Deleted)
        {
            throw NotFound(name);
        }
        return await store.ListRevisionsAsync(name, ct);
    }

    /// <summary>POST: a new document; 409 when a live document has the name.</summary>
    public async Task<StoredDocument> CreateAsync(ComponentDocument document, CatalogUser user, CancellationToken ct = default)
    {
        DocumentValidator.EnsureValid(document);
        var name = document.Name ?? Names.Slug(document.Title!);
        EnsureCanWrite(user, document.Owner);

        var head = await store.GetHeadAsync(name, ct);
        if (head is { Deleted: false })
        {
            throw new ConflictException($"A component named '{name}' already exists; PUT to it with If-Match to change it.");
        }
        if (head is { Purging: true })
        {
            throw new ConflictException($"'{name}' is being purged; retry in a minute.");
        }
        return await CommitAsync(name, document, head, user, ct);
    }

    /// <summary>PUT: replace, or create when absent. Returns whether it was created.</summary>
    public async Task<(StoredDocument Stored, bool Created)> PutAsync(
        string name, ComponentDocument document, Preconditions preconditions, CatalogUser user, CancellationToken ct = default)
    {
        EnsureName(name);
        preconditions.EnsureWellFormed();
        if (document.Name is not null && document.Name != name)
        {
            throw new ValidationException("name", $"The body names '{document.Name}' but the URL names '{name}'; they must agree.");
        }
        document = document with { Name = name };
        DocumentValidator.EnsureValid(document);

        for (var attempt = 1; ; attempt++)
        {
            var head = await store.GetHeadAsync(name, ct);
            if (head is { Purging: true })
            {
                throw new ConflictException($"'{name}' is being purged; retry in a minute.");
            }
            var live = head is { Deleted: false } ? head : null;
            EnsureCanWrite(user, live is null ? document.Owner : live.Owner, document.Owner);

            if (live is null)
            {
                if (preconditions.IfMatch is not null && !preconditions.IfMatchAny)
                {
                    throw new PreconditionFailedException($"Component '{name}' does not exist, so If-Match cannot hold.");
                }
                if (preconditions.IfMatchAny)
                {
                    throw new PreconditionFailedException($"Component '{name}' does not exist; 'If-Match: *' needs an existing document.");
                }
                return (await CommitAsync(name, document, head, user, ct), true);
            }

            if (preconditions.IfNoneMatchAny)
            {
                throw new PreconditionFailedException($"Component '{name}' already exists and 'If-None-Match: *' asked to create only.");
            }
            if (preconditions.IfMatch is null)
            {
                throw new PreconditionRequiredException($"Component '{name}' exists; send If-Match with its ETag ({live.ETag}) or '*'.");
            }
            if (!preconditions.IfMatchHolds(live.ETag))
            {
                throw new PreconditionFailedException($"Component '{name}' is at {live.ETag}; your If-Match is stale. Read it again and retry.");
            }

            try
            {
                return (await CommitAsync(name, document, live, user, ct), false);
            }
            catch (PreconditionFailedException) when (preconditions.IfMatchAny && attempt < MaxStarRetries)
            {
                // 'If-Match: *' means "whatever is current": lose the race, read again, overwrite.
            }
        }
    }

    /// <summary>
    /// One document of an import: created, updated, or unchanged when its content equals the current
    /// revision (no new revision then). With <paramref name="dryRun"/> nothing is written. The derived
    /// search rows are left to the caller, which writes them for the whole batch (<see cref="PublishManyAsync"/>).
    /// </summary>
    public async Task<(string Status, StoredDocument? Stored)> ImportAsync(ComponentDocument document, CatalogUser user, bool dryRun, CancellationToken ct = default)
    {
        DocumentValidator.EnsureValid(document);
        var name = document.Name ?? Names.Slug(document.Title!);
        document = document with { Name = name };
        var head = await store.GetHeadAsync(name, ct);
        var live = head is { Deleted: false, Purging: false } ? head : null;
        EnsureCanWrite(user, live is null ? document.Owner : live.Owner, document.Owner);
        if (live is not null && live.ContentHash == Content(name, document).Hash)
        {
            return ("unchanged", null);
        }
        if (dryRun)
        {
            return (live is null ? "created" : "updated", null);
        }

        var stored = await CommitAsync(name, document, head, user, ct, publish: false);
        return (live is null ? "created" : "updated", stored);
    }

    /// <summary>PATCH: RFC 7396 merge patch over the current document.</summary>
    public async Task<StoredDocument> PatchAsync(
        string name, JsonNode patch, Preconditions preconditions, CatalogUser user, CancellationToken ct = default)
    {
        EnsureName(name);
        preconditions.EnsureWellFormed();
        if (patch is not JsonObject)
        {
            throw new ValidationException("body", "A merge patch must be a JSON object.");
        }

        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Deleted)
        {
            throw NotFound(name);
        }
        if (preconditions.IfMatch is null)
        {
            throw new PreconditionRequiredException($"Send If-Match with the ETag you read ({head.ETag}) or '*'.");
        }
        if (!preconditions.IfMatchHolds(head.ETag))
        {
            throw new PreconditionFailedException($"Component '{name}' is at {head.ETag}; your If-Match is stale. Read it again and retry.");
        }

        var current = (await ReadAsync(name, head.Revision, ct)).Document;
        var editable = current with { Revision = null, CreatedAt = null, UpdatedAt = null, UpdatedBy = null };
        var merged = MergePatch.Apply(JsonSerializer.SerializeToNode(editable, CatalogJson.Options), patch);
        var document = Http.RequestBody.DeserializeStrict<ComponentDocument>(merged?.ToJsonString() ?? "null");
        if (document.Name != name)
        {
            throw new ValidationException("name", "The name cannot be changed by a patch.");
        }
        DocumentValidator.EnsureValid(document);
        EnsureCanWrite(user, current.Owner, document.Owner);
        return await CommitAsync(name, document, head, user, ct);
    }

    /// <summary>Soft delete: hidden from reads, kept for <c>Catalog:DeletedRetentionDays</c>.</summary>
    public async Task DeleteAsync(string name, Preconditions preconditions, CatalogUser user, CancellationToken ct = default)
    {
        EnsureName(name);
        preconditions.EnsureWellFormed();
        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Deleted)
        {
            throw NotFound(name);
        }
        EnsureCanWrite(user, head.Owner);
        if (!preconditions.IfMatchHolds(head.ETag))
        {
            throw new PreconditionFailedException($"Component '{name}' is at {head.ETag}; your If-Match is stale.");
        }
        await store.SetDeletedAsync(head, deleted: true, clock.GetUtcNow(), ct);
        cache.Remove(CacheKey(name));
        await PublishAsync(name, null, ct);
    }

    public async Task<StoredDocument> RestoreAsync(string name, CatalogUser user, CancellationToken ct = default)
    {
        EnsureName(name);
        var head = await store.GetHeadAsync(name, ct);
        if (head is null || head.Purging)
        {
            throw NotFound(name);
        }

        var stored = await ReadAsync(name, head.Revision, ct);
        EnsureCanWrite(user, stored.Document.Owner);
        if (head.Deleted)
        {
            await store.SetDeletedAsync(head, deleted: false, clock.GetUtcNow(), ct);
            await PublishAsync(name, await IndexEntryAsync(stored.Document, ct), ct);
        }
        Remember(stored);
        return stored;
    }

    private async Task<StoredDocument> CommitAsync(
        string name, ComponentDocument document, HeadState? previous, CatalogUser user, CancellationToken ct, bool publish = true)
    {
        var now = clock.GetUtcNow();
        var revision = (previous?.Revision ?? 0) + 1;
        var (content, hash) = Content(name, document);
        var stored = content with
        {
            Revision = revision,
            CreatedAt = previous?.CreatedAt ?? now,
            UpdatedAt = now,
            UpdatedBy = user.Id,
        };

        var write = new RevisionWrite(
            name, revision, JsonSerializer.SerializeToUtf8Bytes(stored, CatalogJson.Options), hash,
            stored.CreatedAt.Value, now, user.Id, stored.Title, stored.Owner);
        var head = await store.WriteRevisionAsync(write, previous, ct);
        var result = new StoredDocument(stored, head.ETag, write.ContentJson);
        if (publish)
        {
            // Bulk writes (import) neither fill the cache nor publish one by one.
            Remember(result);
            await PublishAsync(name, await IndexEntryAsync(stored, ct), ct);
        }
        return result;
    }

    /// <summary>The index entry of a stored revision, for rebuilding derived rows.</summary>
    public async Task<IndexEntry> IndexEntryAsync(string name, int revision, CancellationToken ct = default) =>
        await IndexEntryAsync((await ReadAsync(name, revision, ct)).Document, ct);

    /// <summary>The quality report of the current revision, scored against today's catalog.</summary>
    public async Task<QualityReport> QualityAsync(string name, CancellationToken ct = default) =>
        await quality.EvaluateAsync((await GetAsync(name, ct)).Document, ct: ct);

    /// <summary>
    /// What a write would store: the document as the catalog keeps it and the hash that tells an
    /// unchanged re-import from a change.
    /// </summary>
    public static (ComponentDocument Content, string Hash) Content(string name, ComponentDocument document)
    {
        var content = document with { Name = name, Revision = null, CreatedAt = null, UpdatedAt = null, UpdatedBy = null };
        return (content, Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(content, CatalogJson.Options))));
    }

    private async Task<IndexEntry> IndexEntryAsync(ComponentDocument document, CancellationToken ct) =>
        IndexEntry.From(document, (await quality.EvaluateAsync(document, ct: ct)).Score);

    /// <summary>
    /// Updates the derived search rows after a commit. The document is already committed, so a failure
    /// here is logged, not reported: the rows are rebuilt from the documents by the maintenance job.
    /// </summary>
    private async Task PublishAsync(string name, IndexEntry? entry, CancellationToken ct)
    {
        try
        {
            await search.PublishAsync(name, entry, ct);
        }
        catch (StorageUnavailableException e)
        {
            LogPublishFailed(logger, e, name);
        }
    }

    /// <summary>The derived rows of many committed documents at once; failures are logged like <see cref="PublishAsync"/>'s.</summary>
    public async Task PublishManyAsync(IReadOnlyCollection<IndexEntry> entries, CancellationToken ct = default)
    {
        try
        {
            await search.PublishManyAsync([.. entries.Select(e => (e.Name, (IndexEntry?)e))], ct);
        }
        catch (StorageUnavailableException e)
        {
            LogPublishFailed(logger, e, $"{entries.Count} imported documents");
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Search rows of {Name} not updated; the rebuild job will repair them")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string name);

    private async Task<StoredDocument> ReadAsync(string name, int revision, CancellationToken ct)
    {
        var json = await store.ReadRevisionAsync(name, revision, ct)
                   ?? throw new NotFoundException($"Component '{name}' has no revision {revision}.");
        return ToStored(json, revision);
    }

    private static StoredDocument ToStored(byte[] json, int revision)
    {
        return StoredDocument.FromJson(json, Etags.ForRevision(revision));
    }

    private void Remember(StoredDocument stored)
    {
        if (options.CacheSeconds <= 0)
        {
            return;
        }
        cache.Set(CacheKey(stored.Document.Name!), stored, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.CacheSeconds),
            Size = 1024 + 3L * stored.Json.Length,
        });
    }

    private static void EnsureCanWrite(CatalogUser user, params string?[] owners)
    {
        if (!user.IsAtLeast(CatalogRole.Writer))
        {
            throw new ForbiddenException("Changing documents needs the Catalog.Writer role.");
        }
        foreach (var owner in owners.Distinct())
        {
            if (!user.CanWriteFor(owner))
            {
                throw new ForbiddenException(owner is null
                    ? "Only an admin may write a document without an owner; set 'owner' to one of your teams."
                    : $"You may not write documents owned by '{owner}'; your teams: {string.Join(", ", user.Teams.Order())}.");
            }
        }
    }

    private static void EnsureName(string name)
    {
        if (!Names.IsValid(name))
        {
            throw new ValidationException("name", "A component name is 1–63 lowercase letters, digits or '-', not starting or ending with '-'.");
        }
    }

    private static NotFoundException NotFound(string name) => new($"No component named '{name}'.");

    internal static string CacheKey(string name) => "doc:" + name;
}
