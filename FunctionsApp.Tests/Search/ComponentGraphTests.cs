using System.Text.RegularExpressions;
using ComponentCatalog.Errors;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace ComponentCatalog.Tests.Search;

[TestClass]
public sealed partial class ComponentGraphTests
{
    private static ComponentDocument Doc(string name, string[] dependsOn, params (string Name, string Rel)[] related) => new()
    {
        Name = name,
        Title = name.ToUpperInvariant() + " service",
        Revision = 1,
        Dependencies = new DependenciesSection { InternalModules = dependsOn.Select(d => new NamedItem(d, "uses")).ToEquatableList() },
        RelatedComponents = related.Select(r => new RelatedComponent(r.Name, r.Rel)).ToEquatableList(),
    };

    /// <summary>a → b → c → a (a cycle), d ⇢ a "calls", e → ghost (dangling), f alone.</summary>
    private static ComponentGraph Build(out CatalogIndex index)
    {
        index = new CatalogIndex();
        foreach (var d in new[]
                 {
                     Doc("a", ["b"]), Doc("b", ["c"]), Doc("c", ["a"]),
                     Doc("d", [], ("a", "calls")), Doc("e", ["ghost"]), Doc("f", []),
                 })
        {
            index.Upsert(IndexEntry.From(d));
        }
        return new ComponentGraph(index);
    }

    [TestMethod]
    public void Around_OutDepthOne_IsDirectDependencies()
    {
        var view = Build(out _).Around("a", "out", 1);

        CollectionAssert.AreEqual(new[] { "a", "b" }, view.Nodes.Select(n => n.Name).ToArray());
        Assert.AreEqual(new GraphEdge("a", "b", GraphEdge.DependsOn, "uses"), view.Edges.Single());
    }

    [TestMethod]
    public void Around_InDepthOne_IsDirectReferrersWithRelationship()
    {
        var view = Build(out _).Around("a", "in", 1);

        CollectionAssert.AreEqual(new[] { "a", "c", "d" }, view.Nodes.Select(n => n.Name).ToArray());
        Assert.AreEqual("calls", view.Edges.Single(e => e.From == "d").Relationship);
        Assert.AreEqual(GraphEdge.Related, view.Edges.Single(e => e.From == "d").Kind);
    }

    [TestMethod]
    public void Around_BothDepthTwo_ReachesTwoHops()
    {
        var view = Build(out _).Around("b", "both", 2);

        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, view.Nodes.Select(n => n.Name).ToArray());
    }

    [TestMethod]
    public void Around_Dangling_MarksMissingNode()
    {
        var view = Build(out _).Around("e", "out", 1);

        Assert.IsFalse(view.Nodes.Single(n => n.Name == "ghost").Exists);
        Assert.IsTrue(view.Nodes.Single(n => n.Name == "e").Exists);
    }

    [TestMethod]
    public void Around_Unknown_ThrowsNotFound()
    {
        Assert.ThrowsExactly<NotFoundException>(() => Build(out _).Around("ghost", "out", 1));
    }

    [TestMethod]
    public void Dependents_DirectAndTransitive()
    {
        var graph = Build(out _);

        var direct = graph.Dependents("c", transitive: false);
        var all = graph.Dependents("c", transitive: true);

        CollectionAssert.AreEqual(new[] { "b" }, direct.Select(d => d.Name).ToArray());
        CollectionAssert.AreEquivalent(new[] { "b", "a", "c", "d" }.Where(n => n != "c").ToArray(), all.Select(d => d.Name).ToArray());
        Assert.AreEqual(3, all.Single(d => d.Name == "d").Depth);
    }

    [TestMethod]
    public void Whole_FindsCycleAndDangling()
    {
        var whole = Build(out _).Whole();

        Assert.HasCount(1, whole.Cycles);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, whole.Cycles[0].ToArray());
        Assert.AreEqual(new DanglingReference("e", "ghost", GraphEdge.DependsOn), whole.Dangling.Single());
        Assert.HasCount(7, whole.Nodes, "six components and one missing");
        Assert.HasCount(5, whole.Edges);
    }

    [TestMethod]
    public void Cycles_RelatedEdgesDoNotMakeCycles_SelfAndLongChainsHandled()
    {
        var index = new CatalogIndex();
        index.Upsert(IndexEntry.From(Doc("x", [], ("y", "peer"))));
        index.Upsert(IndexEntry.From(Doc("y", [], ("x", "peer"))));
        for (var i = 0; i < 3000; i++) index.Upsert(IndexEntry.From(Doc($"n{i}", [$"n{i + 1}"])));
        index.Upsert(IndexEntry.From(Doc("n3000", ["n0"])));

        var cycles = ComponentGraph.Cycles(index.All());

        Assert.HasCount(1, cycles);
        Assert.HasCount(3001, cycles[0]);
    }

    [TestMethod]
    public void Mermaid_HasHeaderOneLinePerNodeAndEdge_AndEscapesQuotes()
    {
        var index = new CatalogIndex();
        index.Upsert(IndexEntry.From(Doc("q", ["r"]) with { Title = "Say \"hi\"" }));
        var graph = new ComponentGraph(index).Whole();

        var text = ComponentGraph.Mermaid(graph.Nodes, graph.Edges);

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.AreEqual("graph LR", lines[0]);
        Assert.IsTrue(lines.Skip(1).All(l => MermaidLine().IsMatch(l)), text);
        Assert.HasCount(1 + graph.Nodes.Count + graph.Edges.Count, lines);
        Assert.DoesNotContain("\"hi\"", text);
    }

    [TestMethod]
    public void Dot_IsBalancedAndQuoted()
    {
        var graph = Build(out _).Whole();

        var text = ComponentGraph.Dot(graph.Nodes, graph.Edges);

        StringAssert.StartsWith(text, "digraph catalog {");
        Assert.AreEqual(text.Count(c => c == '{'), text.Count(c => c == '}'));
        Assert.AreEqual(0, text.Replace("\\\"", string.Empty, StringComparison.Ordinal).Count(c => c == '"') % 2);
        Assert.HasCount(graph.Edges.Count, DotEdge().Matches(text));
        StringAssert.Contains(text, "\"d\" -> \"a\" [style=dotted, label=\"calls\"];");
    }

    [GeneratedRegex("""^  n\d+(\["[^"]*"\]|\[/"[^"]*"/\]| (-->|-\.->)(\|"[^"]*"\|)? n\d+)$""")]
    private static partial Regex MermaidLine();

    [GeneratedRegex("""^  "[^"]+" -> "[^"]+" \[[^\]]*\];$""", RegexOptions.Multiline)]
    private static partial Regex DotEdge();
}
