using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComponentCatalog.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ComponentCatalog.Markdown;

/// <summary>
/// The YAML front matter: <c>name</c>, <c>owner</c>, <c>tags</c>, <c>lifecycle</c>, <c>reviewedAt</c>.
/// Anything else (a misspelt key, a server-set field) is an error, as unknown JSON members are.
/// </summary>
internal static partial class FrontMatter
{
    public const int MaxLength = 16 * 1024;
    private const int MaxDepth = 16;
    private static readonly string[] ServerSet = ["revision", "createdAt", "updatedAt", "updatedBy"];

    /// <summary>Splits <c>---\n…\n---</c> off the start of <paramref name="text"/>; null YAML when there is none.</summary>
    public static (string? Yaml, string Body, int BodyLine) Split(string text, List<Finding> findings)
    {
        var firstEnd = text.IndexOf('\n');
        if ((firstEnd < 0 ? text : text[..firstEnd]).TrimEnd() != "---")
        {
            return (null, text, 1);
        }

        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() is "---" or "...")
            {
                var yaml = string.Join('\n', lines, 1, i - 1);
                var body = i + 1 < lines.Length ? string.Join('\n', lines, i + 1, lines.Length - i - 1) : string.Empty;
                return (yaml, body, i + 2);
            }
        }

        findings.Add(new(FindingRules.FrontMatter, FindingSeverity.Error, "frontMatter",
            "The front matter opened with '---' on line 1 is never closed; end it with a '---' line."));
        return (null, text, 1);
    }

    public static ComponentDocument Read(string yaml, ComponentDocument document, List<Finding> findings)
    {
        void Error(string field, string message) =>
            findings.Add(new(FindingRules.FrontMatter, FindingSeverity.Error, field, message));

        if (yaml.Length > MaxLength)
        {
            Error("frontMatter", $"The front matter is longer than {MaxLength} characters.");
            return document;
        }

        List<(string Key, Value Value)> entries;
        try
        {
            entries = ReadMapping(new Parser(new StringReader(yaml)));
        }
        catch (YamlException e)
        {
            Error("frontMatter", $"The front matter is not valid YAML: {FirstLine(e.Message)}");
            return document;
        }
        if (entries.Count == 1 && entries[0].Key.Length == 0)
        {
            Error("frontMatter", entries[0].Value.Problem ?? "The front matter must be a YAML mapping of keys to values (owner: payments).");
            return document;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            var field = $"frontMatter.{key}";
            if (!seen.Add(key))
            {
                Error(field, "The key appears twice; keep one.");
                continue;
            }
            if (value.Problem is not null && key is "name" or "owner" or "tags" or "lifecycle" or "reviewedAt")
            {
                Error(field, value.Problem);
                continue;
            }
            switch (key)
            {
                case "name":
                    document = document with { Name = Single(value, field, Error) };
                    break;
                case "owner":
                    document = document with { Owner = Single(value, field, Error) };
                    break;
                case "tags":
                    var tags = value.Items ?? (value.Scalar is { } list
                        ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                        : []);
                    document = document with { Tags = tags.Count > 0 ? tags.ToEquatableList() : null };
                    break;
                case "lifecycle":
                    if (Single(value, field, Error) is not { } lifecycle)
                    {
                        break;
                    }
                    if (Enum.TryParse<Lifecycle>(lifecycle, ignoreCase: true, out var parsed) && !char.IsAsciiDigit(lifecycle[0]))
                    {
                        document = document with { Lifecycle = parsed };
                    }
                    else
                    {
                        Error(field, "Use one of experimental, production, deprecated.");
                    }
                    break;
                case "reviewedAt":
                    if (Single(value, field, Error) is not { } reviewed)
                    {
                        break;
                    }
                    if (DateTimeOffset.TryParse(reviewed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        document = document with { ReviewedAt = at };
                    }
                    else
                    {
                        Error(field, "Use an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T12:00:00Z.");
                    }
                    break;
                default:
                    Error(field, ServerSet.Contains(key)
                        ? "Is set by the server; remove it from the front matter."
                        : "Unknown front matter key; the catalog knows name, owner, tags, lifecycle and reviewedAt.");
                    break;
            }
        }
        return document;
    }

    /// <summary>A front matter value: one scalar (null when YAML null), a flat list of scalars, or a problem.</summary>
    private sealed record Value(string? Scalar, List<string>? Items, string? Problem);

    /// <summary>
    /// Reads the top-level mapping from YAML events. The event parser is a state machine, so deep nesting cannot
    /// exhaust the stack; nesting is refused past <see cref="MaxDepth"/> and aliases are never expanded.
    /// A single entry with an empty key means "not a mapping".
    /// </summary>
    private static List<(string Key, Value Value)> ReadMapping(IParser parser)
    {
        var entries = new List<(string, Value)>();
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return entries;
        }
        parser.Consume<DocumentStart>();
        if (parser.TryConsume<Scalar>(out var only))
        {
            if (only.Value.Length > 0)
            {
                entries.Add((string.Empty, new Value(null, null, null)));
            }
            return entries;
        }
        if (!parser.TryConsume<MappingStart>(out _))
        {
            entries.Add((string.Empty, new Value(null, null, null)));
            return entries;
        }
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var key))
            {
                Skip(parser);
                Skip(parser);
                entries.Add((string.Empty, new Value(null, null, "Front matter keys must be plain words (owner: payments).")));
                return entries;
            }
            entries.Add((key.Value, ReadValue(parser)));
        }
        return entries;
    }

    private static Value ReadValue(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new Value(IsNull(scalar) ? null : scalar.Value, null, null);
        }
        if (parser.TryConsume<AnchorAlias>(out _))
        {
            return new Value(null, null, "YAML aliases are not supported here; write the value.");
        }
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<string>();
            string? problem = null;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                if (parser.TryConsume<Scalar>(out var item))
                {
                    if (!IsNull(item))
                    {
                        items.Add(item.Value);
                    }
                    continue;
                }
                Skip(parser);
                problem = "Must be a flat list of values: [billing, core].";
            }
            return new Value(null, items, problem);
        }
        Skip(parser);
        return new Value(null, null, "Must be a single value or a list of values.");
    }

    /// <summary>Skips one node and everything nested in it.</summary>
    private static void Skip(IParser parser)
    {
        var depth = 0;
        do
        {
            var next = parser.Consume<ParsingEvent>();
            depth += next.NestingIncrease;
            if (depth > MaxDepth)
            {
                throw new YamlException(next.Start, next.End, "The front matter nests too deeply.");
            }
        }
        while (depth > 0);
    }

    private static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string? Single(Value value, string field, Action<string, string> error)
    {
        if (value.Items is not null)
        {
            error(field, "Must be a single value.");
            return null;
        }
        return value.Scalar;
    }

    public static void Write(StringBuilder output, ComponentDocument d)
    {
        if (d.Name is null && d.Owner is null && d.Tags is not { Count: > 0 } && d.Lifecycle is null && d.ReviewedAt is null)
        {
            return;
        }
        output.Append("---\n");
        if (d.Name is not null)
        {
            output.Append("name: ").Append(Quote(d.Name)).Append('\n');
        }
        if (d.Owner is not null)
        {
            output.Append("owner: ").Append(Quote(d.Owner)).Append('\n');
        }
        if (d.Tags is { Count: > 0 } tags)
        {
            output.Append("tags: [").AppendJoin(", ", tags.Select(Quote)).Append("]\n");
        }
        if (d.Lifecycle is { } lifecycle)
        {
            output.Append("lifecycle: ").Append(lifecycle.ToString().ToLowerInvariant()).Append('\n');
        }
        if (d.ReviewedAt is { } reviewedAt)
        {
            output.Append("reviewedAt: ").Append(FormatDate(reviewedAt)).Append('\n');
        }
        output.Append("---\n");
    }

    /// <summary>A date alone when it is midnight UTC, else a full ISO 8601 date-time with offset.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero && value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        PlainScalar().IsMatch(value) && value is not ("null" or "Null" or "NULL" or "~")
            ? value
            : JsonSerializer.Serialize(value, CatalogJson.Options);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._:+/-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainScalar();
}
