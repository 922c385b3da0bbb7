using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComponentCatalog.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComponentCatalog.Markdown;

/// <summary>
/// The YAML front matter: <c>name</c>, <c>owner</c>, <c>tags</c>, <c>lifecycle</c>, <c>reviewedAt</c>.
/// Anything else (a misspelt key, a server-set field) is an error, as unknown JSON members are.
/// </summary>
internal static partial class FrontMatter
{
    public const int MaxLength = 16 * 1024;
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
        if (yaml.Trim().Length == 0)
        {
            return document;
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                return document;
            }
            if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                Error("frontMatter", "The front matter must be a YAML mapping of keys to values (owner: payments).");
                return document;
            }
            root = mapping;
        }
        catch (Exception e) when (e is YamlException or ArgumentException)
        {
            Error("frontMatter", $"The front matter is not valid YAML: {FirstLine(e.Message)}");
            return document;
        }

        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var field = $"frontMatter.{key}";
            switch (key)
            {
                case "name":
                    document = document with { Name = Scalar(value, field, Error) };
                    break;
                case "owner":
                    document = document with { Owner = Scalar(value, field, Error) };
                    break;
                case "tags":
                    document = document with { Tags = Tags(value, field, Error) };
                    break;
                case "lifecycle":
                    var lifecycle = Scalar(value, field, Error);
                    if (lifecycle is null)
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
                    var reviewed = Scalar(value, field, Error);
                    if (reviewed is null)
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

    private static string? Scalar(YamlNode node, string field, Action<string, string> error)
    {
        if (node is not YamlScalarNode scalar)
        {
            error(field, "Must be a single value.");
            return null;
        }
        if (scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        return scalar.Value;
    }

    private static EquatableList<string>? Tags(YamlNode node, string field, Action<string, string> error)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                var tags = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (Scalar(item, field, error) is { } tag)
                    {
                        tags.Add(tag);
                    }
                }
                return tags.Count == 0 ? null : tags.ToEquatableList();
            case YamlScalarNode:
                var single = Scalar(node, field, error);
                return single is null
                    ? null
                    : single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToEquatableList();
            default:
                error(field, "Must be a list of tags: [billing, core].");
                return null;
        }
    }

    private static string Quote(string value) =>
        PlainScalar().IsMatch(value) && value is not ("null" or "Null" or "NULL" or "~")
            ? value
            : JsonSerializer.Serialize(value, CatalogJson.Options);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:+/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainScalar();
}
