using ComponentCatalog.Search;
using ComponentCatalog.Web;

namespace ComponentCatalog.Pages;

/// <summary>
/// Lays a graph out in columns for the SVG picture: around a component, its dependencies to the right and its
/// dependents to the left by distance; for the whole catalog, columns by distance from the components nothing
/// points to. Deterministic (names sorted), so the picture and the tests see the same thing.
/// </summary>
internal static class GraphLayout
{
    private const double ColumnGap = 70;
    private const double RowGap = 16;
    private const double Margin = 16;

    public static GraphPictureView Lay(
        IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, string? root, IReadOnlySet<string> highlight)
    {
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        edges = [.. edges.Where(e => names.Contains(e.From) && names.Contains(e.To))];
        var level = root is null ? FromSources(names, edges) : AroundRoot(root, edges);
        var min = level.Count == 0 ? 0 : level.Values.Min();
        var columns = nodes.GroupBy(n => level.GetValueOrDefault(n.Name) - min).OrderBy(g => g.Key).ToList();
        var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        var laid = new List<GraphNodeView>();
        var tallest = 0;
        foreach (var column in columns)
        {
            var row = 0;
            foreach (var node in column.OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                var x = Margin + column.Key * (GraphPictureView.NodeWidth + ColumnGap);
                var y = Margin + row++ * (GraphPictureView.NodeHeight + RowGap);
                position[node.Name] = (x, y);
                laid.Add(new GraphNodeView(node.Name, node.Title, x, y, node.Exists, node.Name == root, highlight.Contains(node.Name)));
            }
            tallest = Math.Max(tallest, row);
        }

        var lines = edges.Select(e =>
        {
            var (fx, fy) = position[e.From];
            var (tx, ty) = position[e.To];
            var rightward = tx > fx;
            var leftward = tx < fx;
            var x1 = rightward ? fx + GraphPictureView.NodeWidth : leftward ? fx : fx + GraphPictureView.NodeWidth / 2;
            var x2 = rightward ? tx : leftward ? tx + GraphPictureView.NodeWidth : tx + GraphPictureView.NodeWidth / 2;
            var y1 = rightward || leftward ? fy + GraphPictureView.NodeHeight / 2 : fy + (ty > fy ? GraphPictureView.NodeHeight : 0);
            var y2 = rightward || leftward ? ty + GraphPictureView.NodeHeight / 2 : ty + (ty > fy ? 0 : GraphPictureView.NodeHeight);
            return new GraphEdgeView(e.From, e.To, x1, y1, x2, y2, e.Kind, highlight.Contains(e.From) && highlight.Contains(e.To));
        }).ToList();

        var width = Margin * 2 + Math.Max(1, columns.Count) * (GraphPictureView.NodeWidth + ColumnGap) - ColumnGap;
        var height = Margin * 2 + Math.Max(1, tallest) * (GraphPictureView.NodeHeight + RowGap) - RowGap;
        return new GraphPictureView(laid, lines, width, height);
    }

    /// <summary>Dependencies at +distance, dependents at −distance (first reached wins).</summary>
    private static Dictionary<string, int> AroundRoot(string root, IReadOnlyList<GraphEdge> edges)
    {
        var level = new Dictionary<string, int>(StringComparer.Ordinal) { [root] = 0 };
        Walk(root, level, edges, e => e.From, e => e.To, +1);
        Walk(root, level, edges, e => e.To, e => e.From, -1);
        return level;
    }

    private static void Walk(string root, Dictionary<string, int> level, IReadOnlyList<GraphEdge> edges, Func<GraphEdge, string> from, Func<GraphEdge, string> to, int step)
    {
        var frontier = new List<string> { root };
        for (var distance = step; frontier.Count > 0; distance += step)
        {
            var next = new List<string>();
            foreach (var edge in edges.Where(e => frontier.Contains(from(e))))
            {
                if (level.TryAdd(to(edge), distance)) next.Add(to(edge));
            }
            frontier = next;
        }
    }

    /// <summary>Breadth-first distance from the nodes with no incoming edge; nodes only on cycles start at 0.</summary>
    private static Dictionary<string, int> FromSources(IReadOnlySet<string> names, IReadOnlyList<GraphEdge> edges)
    {
        var targets = edges.Select(e => e.To).ToHashSet(StringComparer.Ordinal);
        var outgoing = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var frontier = names.Where(n => !targets.Contains(n)).ToList();
        if (frontier.Count == 0) frontier = names.Take(1).ToList();
        foreach (var name in frontier) level[name] = 0;
        for (var distance = 1; frontier.Count > 0; distance++)
        {
            var next = new List<string>();
            foreach (var to in frontier.SelectMany(f => outgoing[f]))
            {
                if (level.TryAdd(to, distance)) next.Add(to);
            }
            frontier = next;
        }
        foreach (var name in names) level.TryAdd(name, 0);
        return level;
    }
}
