using System.Text;
using ComponentCatalog.Model;
using Markdig;
using Markdig.Syntax;

namespace ComponentCatalog.Markdown;

/// <summary>
/// Recognises text left over from the template: its <c>[Bracketed]</c> placeholders, its example code blocks,
/// code that is only <c>pass</c>. Pure and reusable: the Markdown parser uses it to keep placeholders out of the
/// stored document, the quality rules to score documents however they arrived.
/// </summary>
internal static class PlaceholderDetector
{
    /// <summary>Every <c>[…]</c> placeholder the template uses.</summary>
    public static IReadOnlyList<string> Tokens { get; } =
    [
        "[Component Name]",
        "[path/to/component]",
        "[Brief description of the component's purpose]",
        "[Library Name]",
        "[Module Name]",
        "[Purpose]",
        "[Class/Function docstring]",
        "[Constructor docstring]",
        "[Method docstring]",
        "[Endpoint documentation]",
        "[Model Name]",
        "[Query Type]",
        "[Relationship]",
    ];

    private static readonly Lazy<HashSet<string>> ExampleCode = new(LoadExampleCode);

    /// <summary>True when <paramref name="text"/> has a template placeholder anywhere in it.</summary>
    public static bool ContainsPlaceholder(string? text) =>
        text is not null && Tokens.Any(token => text.Contains(token, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// True when <paramref name="text"/> is nothing but template placeholders and punctuation
    /// (<c>[Library Name] - [Purpose]</c>, <c>`backend/[path/to/component]`</c>).
    /// </summary>
    public static bool IsPlaceholderText(string? text)
    {
        if (!ContainsPlaceholder(text))
        {
            return false;
        }
        var rest = text!;
        foreach (var token in Tokens)
        {
            rest = rest.Replace(token, string.Empty, StringComparison.OrdinalIgnoreCase);
        }
        rest = rest.Replace("backend/", string.Empty, StringComparison.OrdinalIgnoreCase);
        return rest.All(c => !char.IsLetterOrDigit(c));
    }

    /// <summary>
    /// True when code is the template's own example (any of its code blocks, whitespace aside) or has no
    /// statement but <c>pass</c> / <c>...</c> (comments, docstrings and placeholders aside).
    /// </summary>
    public static bool IsPlaceholderCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return true;
        }
        if (ExampleCode.Value.Contains(Squash(code)))
        {
            return true;
        }

        foreach (var raw in code.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal)
                || line is "\"\"\"" or "'''" or "pass" or "..." || IsPlaceholderText(line.Trim('"', '\'')))
            {
                continue;
            }
            return false;
        }
        return true;
    }

    /// <summary>The placeholders a document holds, wherever it came from (JSON bodies included).</summary>
    public static IReadOnlyList<Finding> Scan(ComponentDocument document)
    {
        var findings = new List<Finding>();
        void Text(string field, string? value)
        {
            if (ContainsPlaceholder(value))
            {
                findings.Add(new(FindingRules.PlaceholderLeft, FindingSeverity.Warning, field,
                    $"'{Shorten(value!)}' still holds template text; replace it with this component's own."));
            }
        }
        void Content(string field, ContentSection? section)
        {
            Text(field, section?.Text);
            for (var i = 0; i < (section?.Code?.Count ?? 0); i++)
            {
                if (IsPlaceholderCode(section!.Code![i].Code))
                {
                    findings.Add(new(FindingRules.PlaceholderLeft, FindingSeverity.Warning, $"{field}.code[{i}]",
                        "This code block is the template's example (or only 'pass'); show this component's code."));
                }
            }
        }
        void Items(string field, IReadOnlyList<NamedItem>? items)
        {
            for (var i = 0; i < (items?.Count ?? 0); i++)
            {
                Text($"{field}[{i}].name", items![i].Name);
                Text($"{field}[{i}].purpose", items[i].Purpose);
            }
        }

        var d = document;
        Text("title", d.Title);
        Text("fileLocation", d.FileLocation);
        Text("description", d.Description);
        Items("dependencies.externalLibraries", d.Dependencies?.ExternalLibraries);
        Items("dependencies.internalModules", d.Dependencies?.InternalModules);
        Content("classStructure", d.ClassStructure);
        Content("dataModels", d.DataModels);
        Content("apiEndpoints", d.ApiEndpoints is { } api ? new ContentSection { Text = api.Text, Code = api.Code } : null);
        Items("database.models", d.Database?.Models);
        Items("database.queries", d.Database?.Queries);
        Content("errorHandling.customExceptions", d.ErrorHandling?.CustomExceptions);
        Content("errorHandling.errorResponses", d.ErrorHandling?.ErrorResponses);
        Content("logging", d.Logging);
        Content("testing.unitTests", d.Testing?.UnitTests);
        Content("testing.integrationTests", d.Testing?.IntegrationTests);
        Content("usageExample", d.UsageExample);
        for (var i = 0; i < (d.RelatedComponents?.Count ?? 0); i++)
        {
            Text($"relatedComponents[{i}].name", d.RelatedComponents![i].Name);
            Text($"relatedComponents[{i}].relationship", d.RelatedComponents[i].Relationship);
        }
        return findings;
    }

    internal static string Shorten(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length <= 60 ? line : line[..57] + "...";
    }

    /// <summary>Code with all whitespace removed: how example blocks are compared.</summary>
    private static string Squash(string code)
    {
        var builder = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static HashSet<string> LoadExampleCode()
    {
        var text = Canonical.Newlines(TemplateResource.Text);
        var document = Markdig.Markdown.Parse(text, new MarkdownPipelineBuilder().Build());
        var examples = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in document.Descendants<FencedCodeBlock>())
        {
            var code = new StringBuilder();
            var slices = block.Lines;
            for (var i = 0; i < slices.Count; i++)
            {
                code.Append(slices.Lines[i].Slice.ToString()).Append('\n');
            }
            examples.Add(Squash(code.ToString()));
        }
        return examples;
    }
}
