using System.Diagnostics;
using DevHost;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>Start, stop and crash of a dev host of its own (not the shared one).</summary>
[TestClass]
public sealed class DevHostLifecycleTests
{
    [TestMethod]
    public async Task WorkerKilled_HostSaysSoAndExitsNonZero()
    {
        await using var host = await DevHostServer.StartAsync();
        var workerId = host.WorkerProcessId;
        Assert.IsNotNull(workerId, host.Output);

        using (var worker = Process.GetProcessById(workerId.Value))
        {
            worker.Kill();
        }
        var exited = await Task.WhenAny(host.Exited, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.AreSame(host.Exited, exited, host.Output);
        Assert.AreEqual(ExitCodes.WorkerCrashed, await host.Exited);
        Assert.Contains("The worker process exited unexpectedly", host.Output);
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
