using System.Diagnostics;
using System.Text.Json;
using ComponentCatalog.Tests.EndToEnd;
using DevHost;
using DevHost.Tokens;

namespace ComponentCatalog.Tests.Mcp;

/// <summary>
/// A second, independent MCP client: the MCP Inspector's CLI (npm, pinned in tools/mcp-inspector, installed with
/// <c>npm ci</c> on first use) against the dev host, the way a person would try the endpoint.
/// </summary>
[TestClass]
public sealed class McpInspectorSmokeTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tools", "mcp-inspector");
    private static DevHostProcess _host = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        if (!File.Exists(Cli))
        {
            var (exit, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
            Assert.AreEqual(0, exit, $"npm ci in {Folder} failed: {output}");
        }
        _host = await SharedDevHost.AcquireAsync();
    }

    [ClassCleanup]
    public static Task StopAsync() => SharedDevHost.ReleaseAsync();

    private static string Cli => Path.Combine(Folder, "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");

    private static Task<(int Exit, string Output)> InspectAsync(string? token, params string[] arguments)
    {
        string[] auth = token is null ? [] : ["--header", $"Authorization: Bearer {token}"];
        return RunAsync("node", [Cli, "--cli", new Uri(_host.BaseAddress, "api/mcp").ToString(), "--transport", "http", .. arguments, .. auth], TimeSpan.FromMinutes(1));
    }

    private static string Reader() => DevTokens.Create(new DevTokenRequest { Roles = ["Catalog.Reader"], Subject = "inspector" });

    [TestMethod]
    public async Task ToolsList_Inspector_SeesEveryTool()
    {
        var (exit, output) = await InspectAsync(Reader(), "--method", "tools/list");

        Assert.AreEqual(0, exit, output);
        using var json = JsonDocument.Parse(output);
        CollectionAssert.AreEquivalent(
            new[] { "search_components", "get_component", "get_dependents", "get_owner", "get_graph", "validate_document", "list_report_items" },
            json.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToArray());
    }

    [TestMethod]
    public async Task ToolsCall_ValidateDocument_ReturnsScoreAndFindings()
    {
        var (exit, output) = await InspectAsync(Reader(), "--method", "tools/call", "--tool-name", "validate_document",
            "--tool-arg", "markdown=## Component Name\nSmoke\n\n## Description\n[Brief description of the component's purpose]\n");

        Assert.AreEqual(0, exit, output);
        using var json = JsonDocument.Parse(output);
        using var result = JsonDocument.Parse(json.RootElement.GetProperty("content")[0].GetProperty("text").GetString()!);
        Assert.AreEqual("smoke", result.RootElement.GetProperty("name").GetString());
        Assert.IsTrue(result.RootElement.GetProperty("score").GetInt32() < 100, output);
        Assert.IsTrue(result.RootElement.GetProperty("findings").GetArrayLength() > 0, output);
    }

    [TestMethod]
    public async Task ToolsList_WithoutToken_Fails()
    {
        var (exit, output) = await InspectAsync(null, "--method", "tools/list");

        Assert.AreNotEqual(0, exit, output);
        StringAssert.Contains(output, "401");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish within {timeout}: {await stdout}{await stderr}");
        }
        var errors = await stderr;
        return (process.ExitCode, process.ExitCode == 0 ? await stdout : (await stdout) + errors);
    }
}
