using System.Diagnostics;
using System.Net;
using ComponentCatalog.Cli;
using DevHost;

namespace ComponentCatalog.Tests.Cli;

/// <summary>Wrong input gets one line naming the file or the setting, exit code 2, and never a stack trace.</summary>
[TestClass]
public sealed class CatalogCliBadInputTests
{
    private static void AssertOneLine(CliResult result, params string[] expected)
    {
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.ToString());
        foreach (var text in expected)
        {
            StringAssert.Contains(lines[0], text, result.ToString());
        }
        StringAssert.StartsWith(lines[0], "catalog: ");
        Assert.DoesNotContain(" at ", result.Error.Replace(" at offset ", " ", StringComparison.Ordinal), "no stack trace");
        Assert.AreEqual(string.Empty, result.Out, "nothing linted or sent when an input is bad");
    }

    [TestMethod]
    public async Task Lint_FolderWithoutMarkdown_NamesTheFolder()
    {
        using var folder = new ScratchFolder();
        folder.Write("empty/notes.txt", "not markdown");

        var result = await CliRunner.RunAsync(folder.Path, "lint", "empty");

        AssertOneLine(result, "empty: no Markdown files (*.md) in this folder.");
    }

    [TestMethod]
    public async Task Lint_FileNotUtf8_NamesTheFileAndTheByte()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/ok.md", CatalogCliLintTests.GoodDoc("alpha"));
        folder.WriteBytes("docs/latin1.md", [.. "## Component Name\nCaf"u8, 0xE9, .. "\n"u8]);

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs");

        AssertOneLine(result, "docs/latin1.md: not UTF-8", "0xE9 at offset 21", "save it as UTF-8");
    }

    [TestMethod]
    public async Task Lint_TenMegabyteFile_NamesTheFileAndTheLimit()
    {
        using var folder = new ScratchFolder();
        folder.WriteBytes("huge.md", new byte[10 * 1024 * 1024]);

        var result = await CliRunner.RunAsync(folder.Path, "lint", "huge.md");

        AssertOneLine(result, "huge.md: 10,485,760 bytes; the catalog takes documents of up to 524,288 bytes.");
    }

    [TestMethod]
    public async Task Lint_SymlinkLoopInAFolder_NamesTheLink()
    {
        using var folder = new ScratchFolder();
        folder.Write("docs/a.md", CatalogCliLintTests.GoodDoc("alpha"));
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "docs", "again"), Path.Combine(folder.Path, "docs"));

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs");

        AssertOneLine(result, "docs/again: symbolic link loop (points back to ");
    }

    [TestMethod]
    public async Task Lint_LinkToItself_NamesTheLink()
    {
        using var folder = new ScratchFolder();
        File.CreateSymbolicLink(Path.Combine(folder.Path, "self.md"), Path.Combine(folder.Path, "self.md"));

        var direct = await CliRunner.RunAsync(folder.Path, "lint", "self.md");
        var walked = await CliRunner.RunAsync(folder.Path, "lint", ".");

        AssertOneLine(direct, "self.md: symbolic link loop");
        AssertOneLine(walked, "catalog: self.md: symbolic link loop");
    }

    [TestMethod]
    public async Task Lint_MissingPath_NamesThePath()
    {
        using var folder = new ScratchFolder();

        var result = await CliRunner.RunAsync(folder.Path, "lint", "docs/nope.md");

        AssertOneLine(result, "docs/nope.md: no such file or folder.");
    }

    [TestMethod]
    public async Task Push_UnreachableCatalog_NamesTheUrlAndItsSetting()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));
        var url = $"http://127.0.0.1:{AzuriteProcess.FreePort()}";

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_URL"] = url }, null, "push", "a.md");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, result.ToString());
        StringAssert.Contains(lines[0], $"Cannot reach the catalog at {url}/ (CATALOG_URL or --url)");
    }

    [TestMethod]
    public async Task Push_BadUrlSetting_NamesTheSetting()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_URL"] = "ftp://catalog" }, null, "push", "a.md");

        AssertOneLine(result, "CATALOG_URL: 'ftp://catalog' is not an http(s) URL.");
    }

    [TestMethod]
    public async Task Search_429ThenOk_WaitsWhatRetryAfterSaysAndSucceeds()
    {
        using var folder = new ScratchFolder();
        var handler = new ScriptedHandler(
            ScriptedHandler.Answer(HttpStatusCode.TooManyRequests, "{}", retryAfterSeconds: 1),
            ScriptedHandler.Answer(HttpStatusCode.OK, """{"items":[{"name":"alpha","title":"Alpha service","owner":"platform","score":97}]}"""));

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_TOKEN"] = "t" }, handler, "search", "alpha");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(2, handler.Requests.Count);
        StringAssert.Contains(result.Error, "catalog: 429 from the catalog; retry 1/5 in 1 s.");
        StringAssert.Contains(result.Out, "Alpha service");
        Assert.AreEqual("Bearer t", handler.Requests[1].Headers.Authorization?.ToString());
        StringAssert.EndsWith(handler.Requests[1].RequestUri!.ToString(), "/api/components?q=alpha&limit=20");
    }

    [TestMethod]
    public async Task Push_503Always_GivesUpAfterBoundedRetries()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));
        var handler = new ScriptedHandler([.. Enumerable.Range(0, 10).Select(_ => ScriptedHandler.Answer(HttpStatusCode.ServiceUnavailable, "{}", retryAfterSeconds: 0))]);

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_API_KEY"] = "cck_x" }, handler, "push", "a.md");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        Assert.AreEqual(1 + CatalogClient.MaxRetries, handler.Requests.Count);
        Assert.AreEqual("cck_x", handler.Requests[0].Headers.GetValues("X-Api-Key").Single());
        StringAssert.Contains(result.Error, "is still busy (503) after 5 retries; try again later.");
    }

    [TestMethod]
    public async Task Push_OnATerminal_RendersTheProgressDisplayAndTheSummary()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));
        folder.Write("b.md", CatalogCliLintTests.GoodDoc("beta"));
        var handler = new ScriptedHandler(ScriptedHandler.Answer(HttpStatusCode.OK, """
            {"dryRun":false,"results":[{"path":"a.md","name":"alpha","status":"created","score":100},{"path":"b.md","name":"beta","status":"invalid","errors":{"owner":["A team id."]}}]}
            """));

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_TOKEN"] = "t" }, handler, null, terminal: true, "push", ".");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        Assert.AreEqual(string.Empty, result.Error);
        StringAssert.Contains(result.Out, "Pushing 2 documents to http://127.0.0.1:7071/ in 1 batch.");
        Assert.DoesNotContain("[100%]", result.Out, "the plain progress lines are for redirected output only");
        StringAssert.Contains(result.Out, "invalid: b.md — owner: A team id.");
        StringAssert.Matches(result.Out, new System.Text.RegularExpressions.Regex(@"created\s*│\s*1 │"));
    }

    [TestMethod]
    public async Task Push_TokenRefusedMidway_SummarisesWhatWasDoneAndSaysSoInOneLine()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));
        folder.Write("b.md", CatalogCliLintTests.GoodDoc("beta"));
        var handler = new ScriptedHandler(
            ScriptedHandler.Answer(HttpStatusCode.OK, """{"dryRun":false,"results":[{"path":"a.md","name":"alpha","status":"created","score":100}]}"""),
            ScriptedHandler.Answer(HttpStatusCode.Unauthorized, """{"title":"Unauthorized","detail":"The token has expired."}"""));

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_TOKEN"] = "t" }, handler, "push", ".", "--batch-size", "1");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Out, "Pushing 2 documents to http://127.0.0.1:7071/ in 2 batches.\n[ 50%] 1/2 docs · ");
        StringAssert.Matches(result.Out, new System.Text.RegularExpressions.Regex(@"created\s*│\s*1 │"));
        Assert.AreEqual(
            "catalog: The catalog at http://127.0.0.1:7071/ refused the credentials from CATALOG_TOKEN (401: The token has expired): expired, revoked or meant for another catalog; get a new one. (1 of 2 documents were processed before that; the table above counts them.)",
            result.Error.Trim());
    }

    [TestMethod]
    public async Task Push_BothCredentialsSet_NamesBothSettings()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));

        var result = await CliRunner.RunAsync(folder.Path, new Dictionary<string, string> { ["CATALOG_TOKEN"] = "t", ["CATALOG_API_KEY"] = "k" }, null, "push", "a.md");

        AssertOneLine(result, "Both CATALOG_TOKEN and CATALOG_API_KEY are set");
    }

    [TestMethod]
    public async Task Process_BadInputAndCleanLint_ExitCodesFromTheRealExecutable()
    {
        using var folder = new ScratchFolder();
        folder.Write("a.md", CatalogCliLintTests.GoodDoc("alpha"));

        var missing = await RunProcessAsync(folder.Path, "lint", "missing-folder");
        var clean = await RunProcessAsync(folder.Path, "lint", "a.md");

        Assert.AreEqual(2, missing.ExitCode, missing.ToString());
        Assert.AreEqual("catalog: missing-folder: no such file or folder.", missing.Error.Trim());
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        StringAssert.Contains(clean.Out, "a.md — score 100, ok");
    }

    private static async Task<CliResult> RunProcessAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(CatalogCli).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
