using System.Diagnostics;
using System.Net;
using DevHost;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>Start, stop, crash and bad settings of a dev host of its own (not the shared one).</summary>
[TestClass]
public sealed class DevHostLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task WorkerKilled_Answers503WithRetryAfterThenRestartsIt()
    {
        await using var host = await DevHostServer.StartAsync();
        var workerId = host.WorkerProcessId;
        Assert.IsNotNull(workerId, host.Output);

        using (var worker = Process.GetProcessById(workerId.Value))
        {
            worker.Kill();
        }
        await host.WaitForOutputAsync("The worker process exited unexpectedly", Bound);
        using var during = await host.Client.GetAsync("api/health");
        await host.WaitForOutputAsync("restarted; functions loaded", Bound);
        using var after = await host.Client.GetAsync("api/health");

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, during.StatusCode, host.Output);
        Assert.AreEqual(TimeSpan.FromSeconds(1), during.Headers.RetryAfter?.Delta, host.Output);
        Assert.AreEqual(HttpStatusCode.OK, after.StatusCode, host.Output);
        Assert.AreNotEqual(workerId, host.WorkerProcessId);
        Assert.IsFalse(host.Exited.IsCompleted, host.Output);
        Assert.IsTrue(IsRunning(host.WorkerProcessId!.Value), "the restarted worker is not running");
    }

    [TestMethod]
    public async Task Start_LoadsTheSearchIndex_BeforeAnyRequestNeedsIt()
    {
        // Only the health check (a storage ping, not the index) has been asked for: the worker loads the index as it starts.
        await using var host = await DevHostServer.StartAsync();
        var loaded = await host.WaitForOutputAsync("Search index loaded", Bound);

        StringAssert.Contains(loaded, "0 documents in", host.Output);
    }

    [TestMethod]
    public async Task SettingOutOfRange_OneLineNamingItAndExit4()
    {
        var (exitCode, output) = await DevHostProcess.RunUntilExitAsync(
            DevHostServer.Configuration, new Dictionary<string, string> { ["RateLimit__PermitsPerMinute"] = "100000000" }, Bound);

        Assert.AreEqual(ExitCodes.InvalidSettings, exitCode, output);
        var lines = output.Split('\n').Where(l => l.Contains("PermitsPerMinute", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, lines, output);
        Assert.Contains("RateLimit__PermitsPerMinute=100000000 is outside its valid range 1–1000000.", lines[0]);
        Assert.DoesNotContain("   at ", output, "a stack trace was printed");
        Assert.DoesNotContain("Worker process", output, "the worker was started");
    }

    [TestMethod]
    public async Task Sigterm_Running_TerminatesWorkerAndExitsZero()
    {
        await using var host = await DevHostServer.StartAsync();
        var workerId = host.WorkerProcessId!.Value;

        var exitCode = await host.StopAsync(TimeSpan.FromSeconds(30));

        Assert.AreEqual(ExitCodes.Stopped, exitCode, host.Output);
        Assert.Contains("WorkerTerminate", host.Output);
        Assert.IsFalse(IsRunning(workerId), "the worker outlived the dev host");
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(host.BaseAddress, "api/health")));
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
