using System.Buffers;
using System.Text;

namespace ComponentCatalog.Search;

internal sealed record GraphNode(string Name, string? Title, bool Exists);

internal sealed record GraphView(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);

internal sealed record Dependent(string Name, string? Title, int Depth, string Kind, string? Relationship);

internal sealed record DanglingReference(string From, string To, string Kind);

internal sealed record CatalogGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<IReadOnlyList<string>> Cycles, IReadOnlyList<DanglingReference> Dangling);

/// <summary>
/// The component graph over the index: edges come from Internal Modules (<c>dependsOn</c>) and Related
/// Components (<c>related</c>, with the relationship text). A reference to a component that is not in
/// the catalog is a dangling node, not an error. Cycles are dependency cycles (dependsOn edges only:
/// "related" is often mutual by nature).
/// </summary>
internal sealed class ComponentGraph(CatalogIndex index)
{
    public const int MaxDepth = 5;

    /// <summary>The neighbourhood of one component, <paramref name="depth"/> hops out, in, or both ways.</summary>
    public GraphView Around(string name, string direction, int depth)
    {
        var root = index.Get(name) ?? throw new Errors.NotFoundException($"No component named '{name}'.");
        var outgoing = direction is "out" or "both";
        var incoming = direction is "in" or "both";
        var edges = new HashSet<GraphEdge>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Name };
        var frontier = new List<string> { root.Name };
        for (var level = 0; level < depth && frontier.Count > 0; level++)
        {
            var next = new List<string>();
            foreach (var current in frontier)
            {
                if (outgoing && index.Get(current) is { } entry)
                {
                    foreach (var edge in entry.Edges)
                    {
                        edges.Add(edge);
                        if (seen.Add(edge.To)) next.Add(edge.To);
                    }
                }
                if (incoming)
                {
                    foreach (var from in index.Referencing(current))
                    {
                        foreach (var edge in from.Edges.Where(e => e.To == current)) edges.Add(edge);
                        if (seen.Add(from.Name)) next.Add(from.Name);
                    }
                }
            }
            frontier = next;
        }

        return new GraphView(Nodes(seen), Sorted(edges));
    }

    /// <summary>Who is affected when <paramref name="name"/> changes: direct referrers, or all of them transitively.</summary>
    public IReadOnlyList<Dependent> Dependents(string name, bool transitive)
    {
        if (index.Get(name) is null)
        {
            throw new Errors.NotFoundException($"No component named '{name}'.");
        }

        var result = new List<Dependent>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { name };
        var frontier = new List<string> { name };
        for (var depth = 1; frontier.Count > 0 && (transitive || depth == 1); depth++)
        {
            var next = new List<string>();
            foreach (var target in frontier)
            {
                foreach (var from in index.Referencing(target))
                {
                    if (!seen.Add(from.Name)) continue;
                    var edge = from.Edges.First(e => e.To == target);
                    result.Add(new Dependent(from.Name, from.Title, depth, edge.Kind, edge.Relationship));
                    next.Add(from.Name);
                }
            }
            frontier = next;
        }
        return result;
    }

    public CatalogGraph Whole()
    {
        var entries = index.All();
        var live = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var edges = entries.SelectMany(e => e.Edges).ToList();
        var names = new HashSet<string>(live.Keys, StringComparer.Ordinal);
        names.UnionWith(edges.Select(e => e.To));
        var dangling = edges.Where(e => !live.ContainsKey(e.To))
            .Select(e => new DanglingReference(e.From, e.To, e.Kind))
            .OrderBy(d => d.From, StringComparer.Ordinal).ThenBy(d => d.To, StringComparer.Ordinal).ToList();
        return new CatalogGraph(Nodes(names), Sorted(edges), Cycles(entries), dangling);
    }

    /// <summary>Strongly connected components of two or more over dependsOn edges (Tarjan, iterative).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyList<IndexEntry> entries)
    {
        var adjacency = entries.ToDictionary(
            e => e.Name,
            e => e.Edges.Where(x => x.Kind == GraphEdge.DependsOn).Select(x => x.To).Distinct().ToArray(),
            StringComparer.Ordinal);
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();
        var counter = 0;

        foreach (var start in adjacency.Keys.Order(StringComparer.Ordinal))
        {
            if (indexOf.ContainsKey(start)) continue;
            var work = new Stack<(string Node, int Next)>();
            work.Push((start, 0));
            indexOf[start] = low[start] = counter++;
            stack.Push(start);
            onStack.Add(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                var targets = adjacency.GetValueOrDefault(node) ?? [];
                if (next < targets.Length)
                {
                    work.Push((node, next + 1));
                    var target = targets[next];
                    if (!adjacency.ContainsKey(target)) continue;
                    if (!indexOf.ContainsKey(target))
                    {
                        indexOf[target] = low[target] = counter++;
                        stack.Push(target);
                        onStack.Add(target);
                        work.Push((target, 0));
                    }
                    else if (onStack.Contains(target))
                    {
                        low[node] = Math.Min(low[node], indexOf[target]);
                    }
                    continue;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] == indexOf[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    } while (member != node);
                    if (component.Count > 1) cycles.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }
        return [.. cycles.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    public static string Mermaid(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        var text = new StringBuilder("graph LR\n");
        var ids = nodes.Select((n, i) => (n.Name, Id: $"n{i}")).ToDictionary(x => x.Name, x => x.Id, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var label = MermaidText(node.Title ?? node.Name);
            text.Append("  ").Append(ids[node.Name]).Append(node.Exists ? $"[\"{label}\"]" : $"[/\"{label} (missing)\"/]").Append('\n');
        }
        foreach (var edge in edges)
        {
            var arrow = edge.Kind == GraphEdge.DependsOn ? "-->" : "-.->";
            var label = edge.Relationship is { Length: > 0 } r ? $"|\"{MermaidText(r)}\"|" : string.Empty;
            text.Append("  ").Append(ids[edge.From]).Append(' ').Append(arrow).Append(label).Append(' ').Append(ids[edge.To]).Append('\n');
        }
        return text.ToString();
    }

    public static string Dot(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        var text = new StringBuilder("digraph catalog {\n  rankdir=LR;\n");
        foreach (var node in nodes)
        {
            text.Append("  ").Append(DotId(node.Name)).Append(" [label=").Append(DotId(node.Title ?? node.Name))
                .Append(node.Exists ? string.Empty : ", style=dashed").Append("];\n");
        }
        foreach (var edge in edges)
        {
            text.Append("  ").Append(DotId(edge.From)).Append(" -> ").Append(DotId(edge.To)).Append(" [");
            text.Append(edge.Kind == GraphEdge.DependsOn ? "style=solid" : "style=dotted");
            if (edge.Relationship is { Length: > 0 } r) text.Append(", label=").Append(DotId(r));
            text.Append("];\n");
        }
        return text.Append("}\n").ToString();
    }

    private List<GraphNode> Nodes(IEnumerable<string> names) =>
        names.Order(StringComparer.Ordinal).Select(n => index.Get(n) is { } e ? new GraphNode(n, e.Title, true) : new GraphNode(n, null, false)).ToList();

    private static List<GraphEdge> Sorted(IEnumerable<GraphEdge> edges) =>
        edges.Distinct().OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Kind, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every character a renderer may take as the end of a line (Mermaid splits statements on them): CR, LF, VT, FF,
    /// NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. CR LF counts as one.
    /// </summary>
    public static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n\u000B\u000C\u0085\u2028\u2029");

    /// <summary>
    /// A label inside Mermaid's <c>"…"</c>: line breaks become one space each (no new statement can start), and the
    /// characters that end or re-open the label or its edge text — <c>"</c>, <c>|</c>, <c>`</c>, <c>;</c>, <c>&lt;</c>,
    /// <c>&gt;</c>, <c>#</c> — become Mermaid entity codes.
    /// </summary>
    public static string MermaidText(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (LineBreaks.Contains(c))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                builder.Append(' ');
                continue;
            }
            var entity = c switch
            {
                '"' => "#quot;",
                '|' => "#124;",
                '`' => "#96;",
                ';' => "#59;",
                '<' => "#lt;",
                '>' => "#gt;",
                '#' => "#35;",
                _ => null,
            };
            if (entity is null) builder.Append(c);
            else builder.Append(entity);
        }
        return builder.ToString();
    }

    /// <summary>A DOT quoted string: backslash and quote escaped, every line break the label escape <c>\n</c> (CR LF once).</summary>
    public static string DotId(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (LineBreaks.Contains(c))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                builder.Append("\\n");
                continue;
            }
            if (c is '\\' or '"') builder.Append('\\');
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
