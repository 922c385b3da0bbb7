using DevHost.Rpc;
using Grpc.Core;

namespace DevHost.Worker;

/// <summary><c>AzureFunctionsRpcMessages.FunctionRpc/EventStream</c>: hands the worker's stream to the current worker's channel.</summary>
internal sealed class FunctionRpcService(HostState state) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        (state.Channel ?? throw new Grpc.Core.RpcException(new Status(StatusCode.Unavailable, "No worker is expected."))).RunStreamAsync(requestStream, responseStream, context.CancellationToken);
}
