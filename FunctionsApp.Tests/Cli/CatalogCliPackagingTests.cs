using System.Text.Json.Nodes;
using System.Xml.Linq;
using DevHost;

namespace ComponentCatalog.Tests.Cli;

/// <summary>The tool manifest, the package the Cli project packs and the NuGet source that finds it agree.</summary>
[TestClass]
public sealed class CatalogCliPackagingTests
{
    [TestMethod]
    public void ToolManifest_NamesThePackageVersionAndCommandTheCliPacks()
    {
        var project = XDocument.Load(Path.Combine(RepoPaths.Root, "Cli", "Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json")))!;
        var nuget = XDocument.Load(Path.Combine(RepoPaths.Root, "nuget.config"));

        var tool = manifest["tools"]![Property("PackageId").ToLowerInvariant()];

        Assert.AreEqual("true", Property("PackAsTool"));
        Assert.IsNotNull(tool, manifest.ToJsonString());
        Assert.AreEqual(Property("Version"), (string?)tool["version"]);
        CollectionAssert.AreEqual(new[] { Property("ToolCommandName") }, tool["commands"]!.AsArray().Select(c => (string?)c).ToArray());
        Assert.AreEqual("catalog", Property("ToolCommandName"));
        var source = nuget.Descendants("add").Single(a => (string?)a.Attribute("key") == "catalog-cli").Attribute("value")!.Value;
        Assert.AreEqual(
            Path.GetFullPath(Path.Combine(RepoPaths.Root, source)),
            Path.GetFullPath(Path.Combine(RepoPaths.Root, "Cli", Property("PackageOutputPath").Replace("$(MSBuildThisFileDirectory)", "", StringComparison.Ordinal).Replace('\\', '/'))));
        Assert.IsTrue(Directory.Exists(Path.Combine(RepoPaths.Root, source)), "the source folder exists in a clone, so restores do not fail on it");
    }
}
