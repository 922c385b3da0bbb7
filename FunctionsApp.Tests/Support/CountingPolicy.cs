using Azure.Core;
using Azure.Core.Pipeline;

namespace ComponentCatalog.Tests.Support;

/// <summary>
/// A window into the storage pipeline: counts the requests that match (all, by default) and, when asked,
/// fails them as an unreachable account would.
/// </summary>
internal sealed class CountingPolicy(Func<HttpMessage, bool>? matches = null) : HttpPipelinePolicy
{
    public int Count;

    public bool Fail { get; init; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("async only");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (matches is null || matches(message))
        {
            Interlocked.Increment(ref Count);
            if (Fail)
            {
                throw new IOException("storage unreachable (injected)");
            }
        }
        await ProcessNextAsync(message, pipeline);
    }
}
