using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Errors;
using ComponentCatalog.Events;
using ComponentCatalog.Model;
using ComponentCatalog.Storage;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;

namespace ComponentCatalog.Catalog;

/// <summary>
/// The component documents: create, read, replace, patch, soft delete, restore, history.
/// Reads go through a per-instance cache kept fresh by the change log (docs/adr/0004-caching-across-instances.md);
/// writes on this instance replace the cached entry, other instances drop theirs when their index refresh hears of
/// the change (within about <c>Catalog:IndexRefreshSeconds</c>). Every write
/// decides everything that can refuse it before its first write, and its search index entry commits with it
/// (docs/adr/0006-write-path.md).
/// </summary>
internal sealed class ComponentDocuments(
    ComponentStore store, IndexProjection projection, ComponentQuality quality, DocumentCache cache, DeliverySignal events, TimeProvider clock)
{
    private const int MaxStarRetries = 3;

    public async Task<StoredDocument> GetAsync(string name, CancellationToken ct = default)
    {
        EnsureName(name);
        var following = cache.Enabled && await projection.FollowChangesAsync(ct);
        if (following && cache.TryGet(name, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation;
        var (head, gzip) = await store.ReadCurrentAsync(name, ct);
        if (head is null || head.Deleted || head.Purging)
        {
            throw NotFound(name);
        }

        var stored = gzip is null ? await ReadAsync(name, head.Revision, ct) : ToStored(gzip, head.Revision);
        if (following)
        {
            cache.Remember(name, head.Revision, stored, generation);
        }
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
    public async Task<StoredDocument> CreateAsync(DocumentDraft draft, CatalogUser user, CancellationToken ct = default)
    {
        var document = draft.Document;
        DocumentValidator.EnsureValid(document);
        var name = document.NameOrSlug();
        EnsureCanWrite(user, document.Owner);

        var head = await store.GetHeadAsync(name, ct);
        if (head is { Deleted: false })
        {
            throw new ConflictException($"A component named '{name}' already exists; PUT to it with If-Match to change it.");
        }
        EnsureNotPurging(head);
        EnsureCanTakeOver(user, head);
        return await CommitAsync(await PrepareAsync(name, document, draft.Findings, head, user, null, ct), ct);
    }

    /// <summary>PUT: replace, or create when absent. Returns whether it was created.</summary>
    public async Task<(StoredDocument Stored, bool Created)> PutAsync(
        string name, DocumentDraft draft, Preconditions preconditions, CatalogUser user, CancellationToken ct = default)
    {
        EnsureName(name);
        preconditions.EnsureWellFormed();
        var document = draft.Document;
        if (document.Name is not null && document.Name != name)
        {
            throw new ValidationException("name", $"The body names '{document.Name}' but the URL names '{name}'; they must agree.");
        }
        document = document with { Name = name };
        DocumentValidator.EnsureValid(document);

        for (var attempt = 1; ; attempt++)
        {
            var (head, live) = await ReadHeadToWriteAsync(name, user, document.Owner, ct);
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
                return (await CommitAsync(await PrepareAsync(name, document, draft.Findings, head, user, null, ct), ct), true);
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
                return (await CommitAsync(await PrepareAsync(name, document, draft.Findings, live, user, null, ct), ct), false);
            }
            catch (PreconditionFailedException) when (preconditions.IfMatchAny && attempt < MaxStarRetries)
            {
                // 'If-Match: *' means "whatever is current": lose the race, read again, overwrite.
            }
        }
    }

    /// <summary>
    /// One document of an import, decided and scored but not written: <c>created</c>, <c>updated</c>, or
    /// <c>unchanged</c> when its content equals the current revision (nothing to commit then).
    /// <see cref="ComponentImport"/> announces the writes of a whole batch at once and commits each with
    /// <see cref="CommitAsync(PendingWrite, CancellationToken, bool)"/>.
    /// </summary>
    /// <param name="assumeAbsent">Skip the head read and prepare a create (the index does not know the name): the commit
    /// adds the head, so if storage has one after all (a deleted document, another instance's create) it fails with
    /// <see cref="ConflictException"/> and nothing is written; the caller then prepares again from the head.</param>
    public async Task<(string Status, PendingWrite Write)> PrepareImportAsync(
        DocumentDraft draft, IReadOnlySet<string> alsoExisting, CatalogUser user, CancellationToken ct = default, bool assumeAbsent = false)
    {
        var document = draft.Document;
        DocumentValidator.EnsureValid(document);
        var name = document.NameOrSlug();
        document = document with { Name = name };
        var (head, live) = await ReadHeadToWriteAsync(name, user, document.Owner, ct, assumeAbsent);
        var pending = await PrepareAsync(name, document, draft.Findings, head, user, alsoExisting, ct);
        var status = live is null ? "created" : live.ContentHash == pending.Write.ContentHash ? "unchanged" : "updated";
        return (status, pending);
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
        return await CommitAsync(await PrepareAsync(name, document, [], head, user, null, ct), ct);
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
        var writeId = NewWriteId();
        var now = clock.GetUtcNow();
        var tags = (await ReadAsync(name, head.Revision, ct)).Document.Tags ?? EquatableList<string>.Empty;
        var change = ChangeEvent.ForState(writeId, ChangeTypes.Deleted, now, name, head.Revision, head.Owner, tags, user.Id, null);
        await projection.AnnounceAsync([new ChangeIntent(name, head.Revision, writeId)], ct);
        await store.SetDeletedAsync(head, deleted: true, now, writeId, ct, change: change);
        events.Committed();
        cache.Invalidate(name);
        projection.Committed(name, null);
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
            // Scored again: the catalog around it may have changed while it was deleted.
            var entry = await projection.ProjectAsync(stored.Document, ct: ct);
            var writeId = NewWriteId();
            var now = clock.GetUtcNow();
            var change = ChangeEvent.ForState(writeId, ChangeTypes.Restored, now, name, head.Revision, stored.Document.Owner, entry.Tags, user.Id, entry.Score);
            await projection.AnnounceAsync([new ChangeIntent(name, head.Revision, writeId)], ct);
            await store.SetDeletedAsync(head, deleted: false, now, writeId, ct, entry, change);
            events.Committed();
            projection.Committed(name, entry);
        }
        cache.Committed(name, head.Revision, stored);
        return stored;
    }

    /// <summary>
    /// Everything a write decides before storage is touched: the stored form, the revision, the index entry
    /// scored by the one rule (<see cref="IndexProjection"/>), the write id.
    /// </summary>
    private async Task<PendingWrite> PrepareAsync(
        string name, ComponentDocument document, IEnumerable<Finding> findings, HeadState? previous, CatalogUser user,
        IReadOnlySet<string>? alsoExisting, CancellationToken ct)
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
        var entry = await projection.ProjectAsync(stored, findings, alsoExisting, ct);
        var writeId = NewWriteId();
        var live = previous is { Deleted: false } ? previous : null;
        var before = Content(name, live is null ? new ComponentDocument() : (await ReadAsync(name, live.Revision, ct)).Document).Content;
        var change = ChangeEvent.ForRevision(
            writeId, now, name, revision, created: live is null, stored.Owner, live?.Owner,
            entry.Tags, Markdown.SectionDiff.Compare(before, content).Select(c => new ChangedSection(c.Section, c.Change)), user.Id, entry.Score);
        var write = new RevisionWrite(
            name, revision, JsonSerializer.SerializeToUtf8Bytes(stored, CatalogJson.Options), hash,
            stored.CreatedAt.Value, now, user.Id, stored.Title, stored.Owner, entry, writeId, change);
        return new PendingWrite(write, previous, stored);
    }

    /// <summary>Announces one prepared write and commits it.</summary>
    private async Task<StoredDocument> CommitAsync(PendingWrite pending, CancellationToken ct)
    {
        await projection.AnnounceAsync([pending.Intent], ct);
        return await CommitAsync(pending, ct, remember: true);
    }

    /// <summary>
    /// Commits a prepared write whose change is already announced: the revision and its index entry in one
    /// transaction; then this instance's index and (unless a bulk write) its cache. Nothing after the commit can fail.
    /// </summary>
    public async Task<StoredDocument> CommitAsync(PendingWrite pending, CancellationToken ct, bool remember)
    {
        var head = await store.WriteRevisionAsync(pending.Write, pending.Previous, ct);
        var result = new StoredDocument(pending.Stored, head.ETag, pending.Write.ContentJson, pending.Write.ContentGzip);
        events.Committed();
        projection.Committed(pending.Write.Name, pending.Write.Entry);
        if (remember)
        {
            cache.Committed(pending.Write.Name, pending.Write.Revision, result);
        }
        else
        {
            cache.Invalidate(pending.Write.Name);
        }
        return result;
    }

    /// <summary>
    /// The reconcile job's repair of a head whose index entry is missing or behind (written before entries
    /// lived on heads): projects the current revision and puts the entry on the head. False when the head moved.
    /// </summary>
    public async Task<bool> ReindexAsync(HeadState head, CancellationToken ct = default)
    {
        var live = !head.Deleted && !head.Purging;
        if (!live)
        {
            await projection.AnnounceAsync([new ChangeIntent(head.Name, head.Revision, head.WriteId)], ct);
            projection.Committed(head.Name, null);
            cache.Invalidate(head.Name);
            return true;
        }
        var entry = await projection.ProjectAsync((await ReadAsync(head.Name, head.Revision, ct)).Document, ct: ct);
        var writeId = NewWriteId();
        await projection.AnnounceAsync([new ChangeIntent(head.Name, head.Revision, writeId)], ct);
        if (!await store.SetEntryAsync(head, entry, writeId, ct))
        {
            return false;
        }
        projection.Committed(head.Name, entry);
        return true;
    }

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

    private static string NewWriteId() => Guid.NewGuid().ToString("N");

    private async Task<StoredDocument> ReadAsync(string name, int revision, CancellationToken ct)
    {
        var gzip = await store.ReadRevisionAsync(name, revision, ct)
                   ?? throw new NotFoundException($"Component '{name}' has no revision {revision}.");
        return ToStored(gzip, revision);
    }

    private static StoredDocument ToStored(byte[] gzip, int revision) => StoredDocument.FromGzip(gzip, Etags.ForRevision(revision));

    /// <summary>
    /// Team ownership, decided here where the stored owner is known (the role each route needs is decided once,
    /// before the function runs, by <see cref="Auth.AccessPolicy"/>; a reader fails this check too).
    /// </summary>
    /// <summary>
    /// The head a write of <paramref name="name"/> replaces, and its live part (none when absent or soft-deleted), once
    /// the caller's rights over it are decided: not while purging (409), the current owner and
    /// <paramref name="newOwner"/> among the caller's teams (403), and over a soft-deleted head the deleted owner's too.
    /// </summary>
    private async Task<(HeadState? Head, HeadState? Live)> ReadHeadToWriteAsync(
        string name, CatalogUser user, string? newOwner, CancellationToken ct, bool assumeAbsent = false)
    {
        var head = assumeAbsent ? null : await store.GetHeadAsync(name, ct);
        EnsureNotPurging(head);
        var live = head is { Deleted: false } ? head : null;
        EnsureCanWrite(user, live is null ? newOwner : live.Owner, newOwner);
        if (live is null)
        {
            EnsureCanTakeOver(user, head);
        }
        return (head, live);
    }

    private static void EnsureCanWrite(CatalogUser user, params string?[] owners)
    {
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

    private static void EnsureNotPurging(HeadState? head)
    {
        if (head is { Purging: true })
        {
            throw new ConflictException($"'{head.Name}' is being purged; retry in a minute.");
        }
    }

    /// <summary>
    /// Writing over a soft-deleted document takes its name, history and creation date: that needs write
    /// rights on the deleted document's owner too (an admin always has them).
    /// </summary>
    private static void EnsureCanTakeOver(CatalogUser user, HeadState? head)
    {
        if (head is { Deleted: true } && !user.CanWriteFor(head.Owner))
        {
            throw new ForbiddenException(
                $"'{head.Name}' is a deleted document of '{head.Owner ?? "(no owner)"}'; only that team or an admin may reuse its name (or restore it).");
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
}

/// <summary>A document to write and the findings of the body it came from (the Markdown parser's; none for JSON).</summary>
internal sealed record DocumentDraft(ComponentDocument Document, IReadOnlyList<Finding> Findings)
{
    public static implicit operator DocumentDraft(ComponentDocument document) => new(document, []);
}

/// <summary>A write decided and scored, not yet committed.</summary>
internal sealed record PendingWrite(RevisionWrite Write, HeadState? Previous, ComponentDocument Stored)
{
    public ChangeIntent Intent => new(Write.Name, Write.Revision, Write.WriteId);
}
