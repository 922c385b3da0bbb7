using DevHost.Rpc;
using Grpc.Core;

namespace DevHost.Worker;

/// <summary><c>AzureFunctionsRpcMessages.FunctionRpc/EventStream</c>: hands the worker's stream to the channel.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunStreamAsync(requestStream, responseStream, context.CancellationToken);
}
