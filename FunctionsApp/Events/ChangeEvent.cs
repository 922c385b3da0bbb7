using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ComponentCatalog.Events;

/// <summary>The event types of a component's life (docs/adr/0060-change-events.md).</summary>
internal static class ChangeTypes
{
    public const string Created = "catalog.component.created";
    public const string Updated = "catalog.component.updated";
    public const string OwnerChanged = "catalog.component.ownerChanged";
    public const string Deleted = "catalog.component.deleted";
    public const string Restored = "catalog.component.restored";
    public const string Purged = "catalog.component.purged";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Created, Updated, OwnerChanged, Deleted, Restored, Purged,
    };
}

/// <summary>A section that a revision changed: its heading and <c>added</c>, <c>removed</c> or <c>modified</c>.</summary>
internal sealed record ChangedSection(string Section, string Change);

/// <summary>The <c>data</c> of a change event. <see cref="PreviousOwner"/> is set when the owner moved.</summary>
internal sealed record ChangeData(
    string Name,
    int Revision,
    string? Owner,
    string? PreviousOwner,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ChangedSection> Sections,
    string? Author,
    int? Score);

/// <summary>
/// One committed change as a CloudEvents 1.0 event (structured JSON mode). The stored form omits
/// <c>source</c>: it is the catalog's URL from the setting <c>Events:Source</c>, added when the event is read.
/// </summary>
internal sealed record ChangeEvent(string Id, string Type, DateTimeOffset Time, ChangeData Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Subject => Data.Name;

    /// <summary>The stored form: this record as JSON.</summary>
    public string ToStored() => JsonSerializer.Serialize(this, Json);

    public static ChangeEvent FromStored(string json) =>
        JsonSerializer.Deserialize<ChangeEvent>(json, Json) ?? throw new InvalidDataException("An empty stored event.");

    /// <summary>The CloudEvent as delivered and listed by the feed.</summary>
    public JsonObject ToCloudEvent(string source) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = Id,
        ["source"] = source,
        ["type"] = Type,
        ["subject"] = Subject,
        ["time"] = Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["datacontenttype"] = "application/json",
        ["data"] = JsonSerializer.SerializeToNode(Data, Json),
    };

    /// <summary>
    /// The event of a new revision: <c>created</c> when there was no live document, <c>ownerChanged</c> when the
    /// owner moved (one event per commit: a revision that moves the owner is announced as the move), else <c>updated</c>.
    /// </summary>
    public static ChangeEvent ForRevision(
        string writeId, DateTimeOffset at, string name, int revision, bool created, string? owner, string? previousOwner,
        IEnumerable<string> tags, IEnumerable<ChangedSection> sections, string author, int? score)
    {
        var moved = !created && !string.Equals(owner, previousOwner, StringComparison.Ordinal);
        var type = created ? ChangeTypes.Created : moved ? ChangeTypes.OwnerChanged : ChangeTypes.Updated;
        return new ChangeEvent(writeId, type, at,
            new ChangeData(name, revision, owner, moved ? previousOwner : null, [.. tags], [.. sections], author, score));
    }

    /// <summary>Soft delete, restore or purge of the document at its current revision.</summary>
    public static ChangeEvent ForState(
        string id, string type, DateTimeOffset at, string name, int revision, string? owner, IEnumerable<string> tags, string? author, int? score) =>
        new(id, type, at, new ChangeData(name, revision, owner, null, [.. tags], [], author, score));
}
