using System.Reflection;
using DevHost.Cli;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class DevHostOptionsTests
{
    [TestMethod]
    public void Parse_NoArguments_DefaultsToPort7071OwnConfigurationPersistedSeeded()
    {
        var (options, error) = DevHostOptions.Parse([]);

        Assert.IsNull(error);
        Assert.IsNotNull(options);
        Assert.AreEqual(7071, options.Port);
        Assert.AreEqual(BuiltConfiguration, options.Configuration);
        Assert.IsFalse(options.InMemory);
        Assert.IsFalse(options.NoBuild);
        Assert.IsFalse(options.NoSeed);
        Assert.AreEqual(Path.GetFullPath("/repo/.data/azurite"), options.ResolveDataDirectory("/repo"));
    }

    /// <summary>What <c>dotnet run -c X --project DevHost</c> built the dev host as: the tests are built alike.</summary>
    private static string BuiltConfiguration =>
        typeof(DevHostOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    [TestMethod]
    public void DefaultConfiguration_IsTheDevHostsOwnBuildConfiguration()
    {
        Assert.AreEqual(BuiltConfiguration, DevHostOptions.DefaultConfiguration);
        Assert.IsTrue(DevHostOptions.DefaultConfiguration is "Debug" or "Release", DevHostOptions.DefaultConfiguration);
    }

    [TestMethod]
    public void Parse_AllOptions_ReadsEach()
    {
        var (options, _) = DevHostOptions.Parse(["--port", "7100", "--no-build", "--no-seed", "-c", "Release", "--data", "/tmp/az", "--verbose"]);

        Assert.IsNotNull(options);
        Assert.IsTrue(options.NoSeed);
        Assert.AreEqual(7100, options.Port);
        Assert.IsTrue(options.NoBuild);
        Assert.AreEqual("Release", options.Configuration);
        Assert.IsTrue(options.Verbose);
        Assert.AreEqual(Path.GetFullPath("/tmp/az"), options.ResolveDataDirectory("/repo"));
    }

    [TestMethod]
    public void Parse_InMemory_HasNoDataDirectory()
    {
        var (options, _) = DevHostOptions.Parse(["--in-memory", "--configuration", "Release"]);

        Assert.IsNotNull(options);
        Assert.IsNull(options.ResolveDataDirectory("/repo"));
        Assert.AreEqual("Release", options.Configuration);
    }

    [TestMethod]
    [DataRow("--port", "abc")]
    [DataRow("--port", "70000")]
    [DataRow("--bogus")]
    [DataRow("--in-memory", "--data", "/x")]
    [DataRow("--configuration")]
    public void Parse_InvalidArguments_ReturnsError(params string[] args)
    {
        var (options, error) = DevHostOptions.Parse(args);

        Assert.IsNull(options);
        Assert.IsFalse(string.IsNullOrEmpty(error));
    }

    [TestMethod]
    public void TokenParse_RolesTeamsSubMinutes_ReadsEach()
    {
        var (request, error) = TokenOptions.Parse(["--role", "Catalog.Writer", "--team", "payments", "--team", "x", "--sub", "alice", "--minutes", "30"]);

        Assert.IsNull(error);
        Assert.IsNotNull(request);
        CollectionAssert.AreEqual(new[] { "Catalog.Writer" }, request.Roles.ToArray());
        CollectionAssert.AreEqual(new[] { "payments", "x" }, request.Teams.ToArray());
        Assert.AreEqual("alice", request.Subject);
        Assert.AreEqual(TimeSpan.FromMinutes(30), request.Lifetime);
    }

    [TestMethod]
    [DataRow("--team", "payments")]
    [DataRow("--role", "Catalog.Reader", "--minutes", "0")]
    [DataRow("--role")]
    public void TokenParse_InvalidArguments_ReturnsError(params string[] args)
    {
        var (request, error) = TokenOptions.Parse(args);

        Assert.IsNull(request);
        Assert.IsFalse(string.IsNullOrEmpty(error));
    }
}
