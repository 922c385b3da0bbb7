namespace ComponentCatalog.Storage;

/// <summary>
/// A document's head: which revision is current and whether it is deleted. <see cref="Version"/>
/// is the storage's opaque concurrency token, handed back unchanged on the next write.
/// </summary>
internal sealed record HeadState(
    string Name,
    int Revision,
    bool Deleted,
    DateTimeOffset? DeletedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    string ContentHash,
    int ChunkRows,
    string WriteId,
    string Version,
    bool Purging = false,
    string? Owner = null)
{
    /// <summary>The HTTP ETag of the current revision.</summary>
    public string ETag => Etags.ForRevision(Revision);
}

/// <summary>One entry of a document's history.</summary>
internal sealed record RevisionInfo(int Revision, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>
/// What a write needs besides the content: who, when, the summary fields kept on the head, and the search
/// index entry of the revision, committed on the head in the same transaction (docs/adr/0006-write-path.md).
/// <see cref="WriteId"/> is chosen before the commit, so the change announced ahead of it can name it.
/// <see cref="Event"/> commits in the same transaction as the revision (docs/adr/0060-change-events.md).
/// </summary>
internal sealed record RevisionWrite(
    string Name,
    int Revision,
    byte[] ContentJson,
    string ContentHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    string? Title,
    string? Owner,
    Search.IndexEntry Entry,
    string WriteId,
    Events.ChangeEvent? Event = null)
{
    private byte[]? _gzip;

    /// <summary>The content as stored (gzip'd), compressed once: the commit writes it, the cache keeps it.</summary>
    public byte[] ContentGzip => _gzip ??= Gzip.Compress(ContentJson);
}

internal static class Etags
{
    public static string ForRevision(int revision) => $"\"{revision}\"";
}
