using Azure.Core;
using Azure.Core.Pipeline;

namespace ComponentCatalog.Storage;

/// <summary>
/// Bounds one storage operation, retries included, at <see cref="CatalogStorageOptions.OperationTimeout"/>: a
/// storage account that hangs (accepts the connection, never answers) costs a request at most that long, then
/// <see cref="TimeoutException"/> (→ 503). The per-try network timeout alone let a hang last
/// tries × timeout + back-off. Sits before the retry policy (per call). The abandoned attempt ends at its own
/// network timeout; the caller does not wait for it.
/// </summary>
internal sealed class StorageDeadlinePolicy(TimeSpan deadline) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).AsTask().WaitAsync(deadline, message.CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Storage did not answer within {deadline.TotalSeconds:0.#} s.", e);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
