namespace ComponentCatalog.Model;

/// <summary>
/// Something noticed about a document: a template placeholder left in, a duplicated section, …
/// <see cref="Section"/> is the JSON path of the field concerned (<c>dependencies.externalLibraries</c>).
/// JSON: <c>{rule, severity: error|warning|info, section, message}</c>.
/// </summary>
internal sealed record Finding(string Rule, FindingSeverity Severity, string Section, string Message);

internal enum FindingSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>The rule ids findings carry; the quality rules score them.</summary>
internal static class FindingRules
{
    /// <summary>Template text (a <c>[Placeholder]</c>, an example block, a bare label) left in.</summary>
    public const string PlaceholderLeft = "placeholder-left";

    /// <summary>A template section appears twice.</summary>
    public const string DuplicateSection = "duplicate-section";

    /// <summary>A sub-item (a label such as <c>- Cache Keys</c>, or an entry of a list) appears twice.</summary>
    public const string DuplicateItem = "duplicate-item";

    /// <summary>The YAML front matter is malformed or has a key the catalog does not know.</summary>
    public const string FrontMatter = "front-matter";

    /// <summary>The Markdown nests deeper than the parser allows.</summary>
    public const string TooDeep = "markdown-too-deep";

    /// <summary>A code fence is never closed; it runs to the end of its section.</summary>
    public const string UnclosedFence = "unclosed-fence";

    /// <summary>Content was found outside its usual place and moved (a leading title, text before the first section).</summary>
    public const string Moved = "content-moved";
}
