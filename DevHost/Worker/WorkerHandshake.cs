using DevHost.Functions;
using DevHost.Rpc;

namespace DevHost.Worker;

/// <summary>The start of the conversation, as the real host runs it; a function that fails to load is left out.</summary>
internal static class WorkerHandshake
{
    /// <summary>StartStream → WorkerInit → FunctionsMetadata → one FunctionLoad per function.</summary>
    public static async Task<FunctionRegistry> RunAsync(WorkerChannel channel, WorkerProcess worker, string appDirectory, TimeSpan timeout, Action<string> reportError, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var started = await Task.WhenAny(channel.Started, worker.Exited).WaitAsync(deadline.Token);
        if (started == worker.Exited)
        {
            throw new WorkerStartupException($"The worker exited with code {worker.Exited.Result} before it connected.", workerExited: true);
        }

        var init = new WorkerInitRequest { HostVersion = "4.0.0-devhost", WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory };
        init.Capabilities["MultiStream"] = "10";
        var initResponse = await channel.InitAsync(init, deadline.Token);
        if (initResponse.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw new WorkerStartupException($"WorkerInit failed: {initResponse.Result?.Exception?.Message}");
        }

        var metadata = await channel.GetMetadataAsync(appDirectory, deadline.Token);
        if (metadata.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw new WorkerStartupException($"The worker could not index the app: {metadata.Result?.Exception?.Message}");
        }
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new WorkerStartupException("The worker asked for host-side indexing (functions.metadata), which the dev host does not do.");
        }

        var registry = FunctionRegistry.FromMetadata(metadata.FunctionMetadataResults);
        var loads = registry.Functions.Select(async f => (Function: f, Response: await channel.LoadAsync(new FunctionLoadRequest { FunctionId = f.FunctionId, Metadata = f.Metadata }, deadline.Token)));
        var loaded = new List<FunctionDescriptor>();
        foreach (var (function, response) in await Task.WhenAll(loads))
        {
            if (response.Result?.Status == StatusResult.Types.Status.Success)
            {
                loaded.Add(function);
            }
            else
            {
                reportError($"{function.Name}: load failed: {response.Result?.Exception?.Message}");
            }
        }
        return new FunctionRegistry(loaded);
    }
}

/// <summary>The worker did not get through the handshake.</summary>
internal sealed class WorkerStartupException(string message, bool workerExited = false) : Exception(message)
{
    /// <summary>The worker process ended (rather than refusing a step of the handshake).</summary>
    public bool WorkerExited => workerExited;
}
