using ComponentCatalog.Model;
using Markdig;
using Markdig.Syntax;
using CodeBlock = ComponentCatalog.Model.CodeBlock;
using MarkdigCode = Markdig.Syntax.CodeBlock;

namespace ComponentCatalog.Markdown;

/// <summary>A parsed Markdown document and what was noticed on the way (placeholders, duplicates, …).</summary>
internal sealed record MarkdownParseResult(ComponentDocument Document, IReadOnlyList<Finding> Findings)
{
    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);
}

/// <summary>
/// Markdown → <see cref="ComponentDocument"/>. Markdig finds the block structure (headings, lists, fences,
/// HTML); content is then taken verbatim from the source lines, so code and prose survive byte for byte.
/// Tolerant: heading levels 1–3, any case and order, missing sections, a leading <c># Title</c>.
/// </summary>
internal sealed class MarkdownParser
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private static readonly string[] Separators = [" - ", " – ", " — "];

    private readonly MarkdownPipeline _pipeline;

    public MarkdownParser()
    {
        var builder = new MarkdownPipelineBuilder { MaximumNestingDepth = 64 };
        builder.InlineParsers.Clear();
        _pipeline = builder.Build();
    }

    public MarkdownParseResult Parse(string markdown) => new Run(_pipeline).Parse(markdown);

    /// <summary>One parse: the findings it collects.</summary>
    private sealed class Run(MarkdownPipeline pipeline)
    {
        private readonly List<Finding> _findings = [];

        public MarkdownParseResult Parse(string markdown)
        {
            var text = Canonical.Newlines(markdown.Length > 0 && markdown[0] == '\uFEFF' ? markdown[1..] : markdown);
            var document = new ComponentDocument();
            var (yaml, body, bodyLine) = FrontMatter.Split(text, _findings);
            if (yaml is not null)
            {
                document = FrontMatter.Read(yaml, document, _findings);
            }

            try
            {
                document = Body(body, bodyLine, document);
            }
            catch (MarkdownTooDeepException)
            {
                Add(FindingRules.TooDeep, FindingSeverity.Error, "body",
                    "The Markdown nests blocks (quotes, lists) too deeply to be a component document.");
            }
            return new(document, _findings);
        }

        private sealed record Section(SectionInfo? Info, string Heading, int Level, int HeadingLine, int BodyFirst);

        private sealed record Item(int First, int Last, string Head, string Rest, int DocLine, int RestLine)
        {
            public string Value => SourceLines.JoinLines(Head, Rest);

            public int ValueLine => Head.Length > 0 ? DocLine : RestLine;
        }

        private ComponentDocument Body(string body, int bodyLine, ComponentDocument document)
        {
            var f = Fragment.Parse(body, pipeline, bodyLine);
            var sections = new List<Section>();
            string? title = null;
            var titleLine = 0;
            var preambleFirst = 0;
            var sawContent = false;
            foreach (var block in f.Document)
            {
                if (block is HeadingBlock { Level: <= 3 } h && HeadingText(f, h) is { Length: > 0 } heading)
                {
                    var info = TemplateSections.Find(heading);
                    var next = f.LastLine(h) + 1;
                    var current = sections.Count > 0 ? sections[^1] : null;
                    if (info is null && current is null && !sawContent && h.Level == 1 && title is null)
                    {
                        title = heading;
                        titleLine = f.DocumentLine(f.FirstLine(h));
                        preambleFirst = next;
                    }
                    else if (info is not null || h.Level <= 2 || current is null || h.Level <= current.Level)
                    {
                        sections.Add(new(info, heading, h.Level, f.FirstLine(h), next));
                    }
                    continue;
                }
                if (sections.Count == 0)
                {
                    sawContent = true;
                }
            }

            var seen = new Dictionary<SectionKind, int>();
            var extras = new List<ExtraSection>();
            for (var i = 0; i < sections.Count; i++)
            {
                var section = sections[i];
                var last = i + 1 < sections.Count ? sections[i + 1].HeadingLine - 1 : f.Lines.Length - 1;
                var text = f.Join(section.BodyFirst, last);
                var line = f.DocumentLine(section.HeadingLine);
                if (section.Info is null)
                {
                    if (extras.Any(e => string.Equals(e.Heading, section.Heading, StringComparison.OrdinalIgnoreCase)))
                    {
                        Add(FindingRules.DuplicateSection, FindingSeverity.Warning, "extraSections",
                            $"The section '{section.Heading}' (line {line}) appears more than once; both are kept.");
                    }
                    extras.Add(new(section.Heading, Canonical.ExtraBody(text)));
                    continue;
                }

                var kind = section.Info.Kind;
                if (seen.TryGetValue(kind, out var firstLine))
                {
                    Add(FindingRules.DuplicateSection, FindingSeverity.Error, section.Info.Field,
                        $"The section '{section.Info.Heading}' appears twice (lines {firstLine} and {line}); merge them into one.");
                    continue;
                }
                seen[kind] = line;
                document = Apply(kind, Fragment.Parse(text, pipeline, f.DocumentLine(section.BodyFirst)), document);
            }

            if (title is not null)
            {
                if (TemplateSections.IsTemplateTitle(title))
                {
                    Add(FindingRules.PlaceholderLeft, FindingSeverity.Info, "title",
                        $"Line {titleLine} is the template's title; it is not part of the document.");
                }
                else if (!seen.ContainsKey(SectionKind.ComponentName))
                {
                    var fromHeading = PlaceholderDetector.IsPlaceholderText(title) ? null : Canonical.Line(title);
                    document = document with { Title = fromHeading };
                    Add(FindingRules.Moved, FindingSeverity.Info, "title",
                        $"There is no 'Component Name' section; the title on line {titleLine} is used as the Component Name.");
                }
            }

            var preambleLast = sections.Count > 0 ? sections[0].HeadingLine - 1 : f.Lines.Length - 1;
            var preambleText = f.Join(preambleFirst, preambleLast);
            if (preambleText.Trim().Length > 0 && ProseField(Whole(Fragment.Parse(preambleText, pipeline, f.DocumentLine(preambleFirst)), "description"), "description") is { } preamble)
            {
                document = document with { Description = JoinProse(preamble, document.Description) };
                Add(FindingRules.Moved, FindingSeverity.Info, "description",
                    "Text before the first section was put at the start of the Description.");
            }

            return extras.Count > 0 ? document with { ExtraSections = extras.ToEquatableList() } : document;
        }

        private ComponentDocument Apply(SectionKind kind, Fragment f, ComponentDocument d) => kind switch
        {
            SectionKind.ComponentName => d with { Title = Canonical.Line(ProseField(Whole(f, "title"), "title")) },
            SectionKind.FileLocation => d with { FileLocation = FileLocation(Whole(f, "fileLocation") ?? string.Empty) },
            SectionKind.Description => d with { Description = ProseField(Whole(f, "description"), "description") },
            SectionKind.Dependencies => d with { Dependencies = Dependencies(f) },
            SectionKind.ClassStructure => d with { ClassStructure = Content(f, "classStructure") },
            SectionKind.DataModels => d with { DataModels = Content(f, "dataModels") },
            SectionKind.ApiEndpoints => d with { ApiEndpoints = ApiEndpoints(f) },
            SectionKind.Database => d with { Database = Database(f) },
            SectionKind.ErrorHandling => d with { ErrorHandling = ErrorHandling(f) },
            SectionKind.Auth => d with { Auth = Auth(f) },
            SectionKind.Caching => d with { Caching = Caching(f) },
            SectionKind.Logging => d with { Logging = Content(f, "logging") },
            SectionKind.Testing => d with { Testing = Testing(f) },
            SectionKind.Performance => d with { Performance = Performance(f) },
            SectionKind.Security => d with { Security = Security(f) },
            SectionKind.UsageExample => d with { UsageExample = Content(f, "usageExample") },
            SectionKind.RelatedComponents => RelatedComponents(f, d),
            SectionKind.Notes => d with { Notes = Notes(f) },
            _ => d,
        };

        private string? FileLocation(string text)
        {
            var value = Canonical.Line(CodeSpans.Unwrap(Canonical.Line(Canonical.Prose(text)) ?? string.Empty));
            if (PlaceholderDetector.IsPlaceholderText(value))
            {
                Placeholder("fileLocation", $"'{value}' is the template's placeholder; give the component's path.");
                return null;
            }
            return value;
        }

        private DependenciesSection? Dependencies(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.ExternalLibraries, TemplateSections.InternalModules]);
            var (external, externalRest) = NamedList(values, TemplateSections.ExternalLibraries);
            var (internalModules, internalRest) = NamedList(values, TemplateSections.InternalModules);
            var section = new DependenciesSection
            {
                ExternalLibraries = external,
                InternalModules = internalModules,
                Text = ProseField(JoinProse(JoinProse(leftover, externalRest), internalRest), "dependencies.text"),
            };
            return section == new DependenciesSection() ? null : section;
        }

        private DatabaseSection? Database(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.Models, TemplateSections.Queries]);
            var (models, modelsRest) = NamedList(values, TemplateSections.Models);
            var (queries, queriesRest) = NamedList(values, TemplateSections.Queries);
            var section = new DatabaseSection
            {
                Models = models,
                Queries = queries,
                Text = ProseField(JoinProse(JoinProse(leftover, modelsRest), queriesRest), "database.text"),
            };
            return section == new DatabaseSection() ? null : section;
        }

        private ErrorHandlingSection? ErrorHandling(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.CustomExceptions, TemplateSections.ErrorResponses]);
            var section = new ErrorHandlingSection
            {
                CustomExceptions = LabelledContent(values, TemplateSections.CustomExceptions),
                ErrorResponses = LabelledContent(values, TemplateSections.ErrorResponses),
                Text = ProseField(leftover, "errorHandling.text"),
            };
            return section == new ErrorHandlingSection() ? null : section;
        }

        private TestingSection? Testing(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.UnitTests, TemplateSections.IntegrationTests]);
            var section = new TestingSection
            {
                UnitTests = LabelledContent(values, TemplateSections.UnitTests),
                IntegrationTests = LabelledContent(values, TemplateSections.IntegrationTests),
                Text = ProseField(leftover, "testing.text"),
            };
            return section == new TestingSection() ? null : section;
        }

        private AuthSection? Auth(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.RequiredPermissions, TemplateSections.TokenValidation, TemplateSections.RoleBasedAccess]);
            var section = new AuthSection
            {
                RequiredPermissions = LabelledText(values, TemplateSections.RequiredPermissions),
                TokenValidation = LabelledText(values, TemplateSections.TokenValidation),
                RoleBasedAccess = LabelledText(values, TemplateSections.RoleBasedAccess),
                Text = ProseField(leftover, "auth.text"),
            };
            return section == new AuthSection() ? null : section;
        }

        private CachingSection? Caching(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.CacheKeys, TemplateSections.CacheDuration, TemplateSections.InvalidationStrategy]);
            var section = new CachingSection
            {
                CacheKeys = LabelledText(values, TemplateSections.CacheKeys),
                CacheDuration = LabelledText(values, TemplateSections.CacheDuration),
                InvalidationStrategy = LabelledText(values, TemplateSections.InvalidationStrategy),
                Text = ProseField(leftover, "caching.text"),
            };
            return section == new CachingSection() ? null : section;
        }

        private PerformanceSection? Performance(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.QueryOptimization, TemplateSections.CachingStrategy, TemplateSections.AsyncOperations]);
            var section = new PerformanceSection
            {
                QueryOptimization = LabelledText(values, TemplateSections.QueryOptimization),
                CachingStrategy = LabelledText(values, TemplateSections.CachingStrategy),
                AsyncOperations = LabelledText(values, TemplateSections.AsyncOperations),
                Text = ProseField(leftover, "performance.text"),
            };
            return section == new PerformanceSection() ? null : section;
        }

        private SecuritySection? Security(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.InputValidation, TemplateSections.DataSanitization, TemplateSections.RateLimiting]);
            var section = new SecuritySection
            {
                InputValidation = LabelledText(values, TemplateSections.InputValidation),
                DataSanitization = LabelledText(values, TemplateSections.DataSanitization),
                RateLimiting = LabelledText(values, TemplateSections.RateLimiting),
                Text = ProseField(leftover, "security.text"),
            };
            return section == new SecuritySection() ? null : section;
        }

        private NotesSection? Notes(Fragment f)
        {
            var (values, leftover) = Labelled(f, [TemplateSections.ImplementationDetails, TemplateSections.KnownIssues, TemplateSections.FutureImprovements]);
            var section = new NotesSection
            {
                ImplementationDetails = LabelledText(values, TemplateSections.ImplementationDetails),
                KnownIssues = LabelledText(values, TemplateSections.KnownIssues),
                FutureImprovements = LabelledText(values, TemplateSections.FutureImprovements),
                Text = ProseField(leftover, "notes.text"),
            };
            return section == new NotesSection() ? null : section;
        }

        private ComponentDocument RelatedComponents(Fragment f, ComponentDocument d)
        {
            var consumed = new bool[f.Lines.Length];
            var related = new List<RelatedComponent>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in Items(f))
            {
                Consume(consumed, item.First, item.Last);
                var (head, tail) = SplitSeparator(item.Head);
                var name = Canonical.Line(head);
                if (name is null || PlaceholderDetector.IsPlaceholderText(name))
                {
                    Placeholder("relatedComponents", $"Line {item.DocLine} is the template's example entry; name a real component.");
                    continue;
                }
                var relationship = ItemProseField(SourceLines.JoinLines(tail, item.Rest), "relatedComponents.relationship");
                if (seen.TryGetValue(name, out var firstLine))
                {
                    Duplicate("relatedComponents", $"'{name}' is listed twice (lines {firstLine} and {item.DocLine}); keep one entry.");
                    continue;
                }
                seen[name] = item.DocLine;
                related.Add(new(name, relationship));
            }
            return d with
            {
                RelatedComponents = related.Count > 0 ? related.ToEquatableList() : null,
                RelatedComponentsText = ProseField(Unconsumed(f, consumed, "relatedComponentsText"), "relatedComponentsText"),
            };
        }

        private ApiEndpointsSection? ApiEndpoints(Fragment f)
        {
            var consumed = new bool[f.Lines.Length];
            var endpoints = new List<ApiEndpoint>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in Items(f))
            {
                var (head, tail) = SplitSeparator(item.Head);
                var call = head.Trim().Trim('`', '*').Trim();
                var space = call.IndexOfAny([' ', '\t']);
                if (space < 0 || !Methods.Contains(call[..space].Trim('`', '*'), StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }
                var method = call[..space].Trim('`', '*').ToUpperInvariant();
                var route = Canonical.Line(call[space..].Trim().Trim('`'));
                if (route is null)
                {
                    continue;
                }
                Consume(consumed, item.First, item.Last);
                var key = $"{method} {route}";
                if (seen.TryGetValue(key, out var firstLine))
                {
                    Duplicate("apiEndpoints.endpoints", $"'{key}' is listed twice (lines {firstLine} and {item.DocLine}); keep one entry.");
                    continue;
                }
                seen[key] = item.DocLine;
                endpoints.Add(new ApiEndpoint
                {
                    Method = method,
                    Route = route,
                    Description = ItemProseField(SourceLines.JoinLines(tail, item.Rest), "apiEndpoints.endpoints.description"),
                });
            }

            var code = ExtractCode(f, consumed, "apiEndpoints.code");
            var section = new ApiEndpointsSection
            {
                Endpoints = endpoints.Count > 0 ? endpoints.ToEquatableList() : null,
                Code = code.Count > 0 ? code.ToEquatableList() : null,
                Text = ProseField(Unconsumed(f, consumed, "apiEndpoints.text"), "apiEndpoints.text"),
            };
            return section == new ApiEndpointsSection() ? null : section;
        }

        private ContentSection? Content(Fragment f, string field)
        {
            var consumed = new bool[f.Lines.Length];
            var code = ExtractCode(f, consumed, field + ".code");
            var section = new ContentSection
            {
                Text = ProseField(Unconsumed(f, consumed, field + ".text"), field + ".text"),
                Code = code.Count > 0 ? code.ToEquatableList() : null,
            };
            return section == new ContentSection() ? null : section;
        }

        private List<CodeBlock> ExtractCode(Fragment f, bool[] consumed, string field)
        {
            var blocks = new List<CodeBlock>();
            foreach (var block in f.Document)
            {
                if (block is not MarkdigCode code)
                {
                    continue;
                }
                var first = f.FirstLine(code);
                var last = f.LastLine(code);
                if (consumed[first])
                {
                    continue;
                }
                Consume(consumed, first, last);

                string? language = null;
                var lines = new List<string>();
                if (code is FencedCodeBlock fenced)
                {
                    var opening = f.Lines[first];
                    var indent = opening.Length - opening.TrimStart(' ').Length;
                    language = Canonical.Line(opening.TrimStart(' ')[Math.Min(fenced.OpeningFencedCharCount, opening.TrimStart(' ').Length)..]);
                    var closed = fenced.ClosingFencedCharCount > 0;
                    if (!closed)
                    {
                        last = Math.Min(f.Lines.Length - 1, first + fenced.Lines.Count);
                        Consume(consumed, first, last);
                    }
                    if (!closed)
                    {
                        Add(FindingRules.UnclosedFence, FindingSeverity.Warning, field,
                            $"The code fence opened on line {f.DocumentLine(first)} is never closed; it runs to the end of its section.");
                    }
                    for (var i = first + 1; i <= (closed ? last - 1 : last); i++)
                    {
                        lines.Add(SourceLines.SkipIndent(f.Lines[i], indent));
                    }
                }
                else
                {
                    for (var i = first; i <= last; i++)
                    {
                        lines.Add(SourceLines.SkipIndent(f.Lines[i], 4));
                    }
                }

                var text = string.Join('\n', lines);
                if (PlaceholderDetector.IsPlaceholderCode(text))
                {
                    Placeholder(field, $"The code block on line {f.DocumentLine(first)} is the template's example (or only 'pass'); show this component's code.");
                    continue;
                }
                blocks.Add(new(language, text));
            }
            return blocks;
        }

        /// <summary>The list items of <paramref name="f"/> that start with one of <paramref name="labels"/>, and the rest as prose.</summary>
        private (Dictionary<LabelInfo, Item> Values, string? Leftover) Labelled(Fragment f, LabelInfo[] labels)
        {
            var consumed = new bool[f.Lines.Length];
            var values = new Dictionary<LabelInfo, Item>();
            foreach (var item in Items(f))
            {
                foreach (var label in labels)
                {
                    if (!Labels.TryMatch(item.Head, label.Label, out var rest))
                    {
                        continue;
                    }
                    Consume(consumed, item.First, item.Last);
                    if (values.TryGetValue(label, out var first))
                    {
                        Duplicate(label.Field, $"'- {label.Label}' appears twice (lines {first.DocLine} and {item.DocLine}); merge them into one.");
                    }
                    else
                    {
                        values[label] = item with { Head = rest };
                    }
                    break;
                }
            }
            return (values, Unconsumed(f, consumed, labels[0].Field[..labels[0].Field.IndexOf('.')] + ".text"));
        }

        private string? LabelledText(Dictionary<LabelInfo, Item> values, LabelInfo label)
        {
            if (!values.TryGetValue(label, out var item))
            {
                return null;
            }
            var value = ItemProseField(item.Value, label.Field);
            if (value is null)
            {
                Bare(label, item);
            }
            return value;
        }

        private ContentSection? LabelledContent(Dictionary<LabelInfo, Item> values, LabelInfo label)
        {
            if (!values.TryGetValue(label, out var item))
            {
                return null;
            }
            var value = Content(Fragment.Parse(item.Value, pipeline, item.ValueLine), label.Field);
            if (value is null && !_findings.Any(f => f.Section.StartsWith(label.Field, StringComparison.Ordinal)))
            {
                Bare(label, item);
            }
            return value;
        }

        private (EquatableList<NamedItem>? Items, string? Leftover) NamedList(Dictionary<LabelInfo, Item> values, LabelInfo label)
        {
            if (!values.TryGetValue(label, out var item))
            {
                return (null, null);
            }
            var f = Fragment.Parse(item.Value, pipeline, item.ValueLine);
            var consumed = new bool[f.Lines.Length];
            var list = new List<NamedItem>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var placeholders = 0;
            foreach (var entry in Items(f))
            {
                Consume(consumed, entry.First, entry.Last);
                var (head, tail) = SplitSeparator(entry.Head);
                var name = Canonical.Line(head);
                if (name is null || PlaceholderDetector.IsPlaceholderText(name))
                {
                    placeholders++;
                    Placeholder(label.Field, $"Line {entry.DocLine} is the template's example entry; list real ones or remove it.");
                    continue;
                }
                var purpose = ItemProseField(SourceLines.JoinLines(tail, entry.Rest), label.Field + ".purpose");
                if (seen.TryGetValue(name, out var firstLine))
                {
                    Duplicate(label.Field, $"'{name}' is listed twice (lines {firstLine} and {entry.DocLine}); keep one entry.");
                    continue;
                }
                seen[name] = entry.DocLine;
                list.Add(new(name, purpose));
            }
            var leftover = Unconsumed(f, consumed, label.Field);
            if (list.Count == 0 && leftover is null && placeholders == 0)
            {
                Bare(label, item);
            }
            return (list.Count > 0 ? list.ToEquatableList() : null, leftover);
        }

        /// <summary>The items of the top-level lists of <paramref name="f"/>, their content de-indented.</summary>
        private static IEnumerable<Item> Items(Fragment f)
        {
            foreach (var block in f.Document)
            {
                if (block is not ListBlock list)
                {
                    continue;
                }
                foreach (var child in list)
                {
                    if (child is not ListItemBlock listItem)
                    {
                        continue;
                    }
                    var first = f.FirstLine(listItem);
                    var last = f.LastLine(listItem);
                    var column = SourceLines.ContentColumn(f.Lines[first]);
                    var head = SourceLines.FromColumn(f.Lines[first], column);
                    var rest = new List<string>();
                    for (var i = first + 1; i <= last; i++)
                    {
                        rest.Add(SourceLines.SkipIndent(f.Lines[i], column));
                    }
                    var restLine = f.DocumentLine(first + 1);
                    if (head.Trim().Length == 0 && rest.Count > 0)
                    {
                        head = rest[0];
                        rest.RemoveAt(0);
                        restLine++;
                    }
                    yield return new(first, last, head.Trim(), string.Join('\n', rest), f.DocumentLine(first), restLine);
                }
            }
        }

        private string? Whole(Fragment f, string field) => Unconsumed(f, new bool[f.Lines.Length], field);

        /// <summary>
        /// The lines not consumed, as runs of prose separated by one blank line. A code fence or HTML block left open
        /// at the end is closed (and reported), so that rendered elsewhere it cannot swallow what follows.
        /// </summary>
        private string? Unconsumed(Fragment f, bool[] consumed, string field)
        {
            var runs = new List<string>();
            var start = -1;
            for (var i = 0; i <= f.Lines.Length; i++)
            {
                var free = i < f.Lines.Length && !consumed[i];
                if (free && start < 0)
                {
                    start = i;
                }
                else if (!free && start >= 0)
                {
                    if (Canonical.Prose(f.Join(start, i - 1)) is { } run)
                    {
                        runs.Add(run);
                    }
                    start = -1;
                }
            }
            if (runs.Count == 0)
            {
                return null;
            }

            var text = string.Join("\n\n", runs);
            if (f.Document.LastChild is { } last && !consumed[f.FirstLine(last)] && Terminator(f, last) is { } terminator)
            {
                Add(FindingRules.UnclosedFence, FindingSeverity.Warning, field,
                    $"The block opened on line {f.DocumentLine(f.FirstLine(last))} is never closed; '{terminator}' was added to close it.");
                text += "\n" + terminator;
            }
            return text;
        }

        /// <summary>What closes a block left open at the end of a fragment (which would run to the end of any document), or null.</summary>
        private static string? Terminator(Fragment f, Block block)
        {
            if (block is FencedCodeBlock { ClosingFencedCharCount: 0 } fenced)
            {
                return new string(fenced.FencedChar, Math.Max(3, fenced.OpeningFencedCharCount));
            }
            if (block is not HtmlBlock html)
            {
                return null;
            }
            var lastLine = f.Lines[f.LastLine(block)];
            var (closing, ends) = html.Type switch
            {
                HtmlBlockType.ScriptPreOrStyle => (OpenTag(f.Lines[f.FirstLine(block)]), new[] { "</script>", "</pre>", "</style>", "</textarea>" }),
                HtmlBlockType.Comment => ("-->", new[] { "-->" }),
                HtmlBlockType.ProcessingInstruction => ("?>", new[] { "?>" }),
                HtmlBlockType.DocumentType => (">", new[] { ">" }),
                HtmlBlockType.CData => ("]]>", new[] { "]]>" }),
                _ => (null, Array.Empty<string>()),
            };
            return closing is not null && !ends.Any(e => lastLine.Contains(e, StringComparison.OrdinalIgnoreCase)) ? closing : null;
        }

        private static string OpenTag(string line)
        {
            foreach (var tag in new[] { "script", "pre", "style", "textarea" })
            {
                if (line.TrimStart().StartsWith("<" + tag, StringComparison.OrdinalIgnoreCase))
                {
                    return $"</{tag}>";
                }
            }
            return "</pre>";
        }

        private static void Consume(bool[] consumed, int first, int last)
        {
            for (var i = first; i <= last && i < consumed.Length; i++)
            {
                consumed[i] = true;
            }
        }

        private static string? JoinProse(string? first, string? second) =>
            first is null ? second : second is null ? first : first + "\n\n" + second;

        private static (string Head, string Tail) SplitSeparator(string line)
        {
            var best = -1;
            var length = 0;
            foreach (var separator in Separators)
            {
                var index = line.IndexOf(separator, StringComparison.Ordinal);
                if (index >= 0 && (best < 0 || index < best))
                {
                    best = index;
                    length = separator.Length;
                }
            }
            return best < 0 ? (line, string.Empty) : (line[..best], line[(best + length)..]);
        }

        /// <summary>Section prose with lines that are only template placeholders removed (and reported).</summary>
        private string? ProseField(string? text, string field)
        {
            var prose = Canonical.Prose(text);
            if (prose is null || !PlaceholderDetector.ContainsPlaceholder(prose))
            {
                return prose;
            }
            var kept = new List<string>();
            foreach (var line in prose.Split('\n'))
            {
                if (PlaceholderDetector.IsPlaceholderText(line))
                {
                    Placeholder(field, $"'{PlaceholderDetector.Shorten(line)}' is template text; it was not stored.");
                }
                else
                {
                    kept.Add(line);
                }
            }
            var result = Canonical.Prose(string.Join('\n', kept));
            if (PlaceholderDetector.ContainsPlaceholder(result))
            {
                Placeholder(field, $"'{PlaceholderDetector.Shorten(result!)}' still contains template placeholders.");
            }
            return result;
        }

        private string? ItemProseField(string? text, string field) => Canonical.ItemProse(ProseField(text, field));

        private void Bare(LabelInfo label, Item item) =>
            Placeholder(label.Field, $"'- {label.Label}' on line {item.DocLine} has nothing after it; describe it or remove the line.");

        private void Placeholder(string field, string message) =>
            Add(FindingRules.PlaceholderLeft, FindingSeverity.Warning, field, message);

        private void Duplicate(string field, string message) =>
            Add(FindingRules.DuplicateItem, FindingSeverity.Error, field, message);

        private void Add(string rule, FindingSeverity severity, string field, string message) =>
            _findings.Add(new(rule, severity, field, message));

        private static string HeadingText(Fragment f, HeadingBlock h)
        {
            var first = f.FirstLine(h);
            if (h.IsSetext)
            {
                var last = Math.Max(first, f.LastLine(h) - 1);
                return string.Join(' ', Enumerable.Range(first, last - first + 1).Select(i => f.Lines[i].Trim())).Trim();
            }
            var text = f.Lines[first].TrimStart().TrimStart('#').Trim();
            var end = text.Length;
            while (end > 0 && text[end - 1] == '#')
            {
                end--;
            }
            if (end == 0)
            {
                return string.Empty;
            }
            return end < text.Length && text[end - 1] is ' ' or '\t' ? text[..end].TrimEnd() : text;
        }
    }
}
