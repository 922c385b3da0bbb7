using System.Collections.Concurrent;
using System.Threading.Channels;
using DevHost.Rpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace DevHost.Worker;

/// <summary>
/// The host end of the worker's one gRPC stream: a single writer drains an outbound queue (gRPC writes must not
/// overlap) and replies, which come back out of order, are matched to their requests by id.
/// </summary>
internal sealed partial class WorkerChannel(ILoggerFactory loggerFactory)
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly ConcurrentDictionary<string, ILogger> _workerLoggers = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger = loggerFactory.CreateLogger("DevHost.Worker");
    private int _attached;

    /// <summary>The id passed as <c>--functions-worker-id</c>; StartStream must echo it.</summary>
    public string ExpectedWorkerId { get; set; } = string.Empty;

    /// <summary>Completes with the worker id when the worker sends StartStream.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Completes when the worker's stream ends.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Serves one EventStream call until the worker or the host ends it.</summary>
    public async Task RunStreamAsync(IAsyncStreamReader<StreamingMessage> reader, IServerStreamWriter<StreamingMessage> writer, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _attached, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "This dev host already has a worker stream."));
        }

        var writing = WriteLoopAsync(writer, ct);
        try
        {
            while (await reader.MoveNext(ct))
            {
                Dispatch(reader.Current);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            LogStreamBroken(_logger, exception.Message);
        }
        finally
        {
            _closed.TrySetResult();
            _outbound.Writer.TryComplete();
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var waiter))
                {
                    waiter.TrySetException(new WorkerUnavailableException("The worker's stream closed."));
                }
            }
        }
        await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync(IServerStreamWriter<StreamingMessage> writer, CancellationToken ct)
    {
        await foreach (var message in _outbound.Reader.ReadAllAsync(ct))
        {
            await writer.WriteAsync(message, ct);
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                if (message.StartStream.WorkerId != ExpectedWorkerId)
                {
                    LogUnexpectedWorker(_logger, message.StartStream.WorkerId);
                }
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                WriteWorkerLog(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                Complete("init", message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Complete("metadata", message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                Complete("load:" + message.FunctionLoadResponse.FunctionId, message);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete("invoke:" + message.InvocationResponse.InvocationId, message);
                break;
            case StreamingMessage.ContentOneofCase.WorkerStatusResponse:
                Complete("status:" + message.RequestId, message);
                break;
            case StreamingMessage.ContentOneofCase.None:
                break;
            default:
                LogIgnored(_logger, message.ContentCase.ToString());
                break;
        }
    }

    private void Complete(string key, StreamingMessage message)
    {
        if (_pending.TryRemove(key, out var waiter))
        {
            waiter.TrySetResult(message);
        }
        else
        {
            LogUnmatched(_logger, key);
        }
    }

    public async Task<WorkerInitResponse> InitAsync(WorkerInitRequest request, CancellationToken ct) =>
        (await SendAsync("init", new StreamingMessage { WorkerInitRequest = request }, ct)).WorkerInitResponse;

    public async Task<FunctionMetadataResponse> GetMetadataAsync(string appDirectory, CancellationToken ct) =>
        (await SendAsync("metadata", new StreamingMessage { FunctionsMetadataRequest = new() { FunctionAppDirectory = appDirectory } }, ct))
        .FunctionMetadataResponse;

    public async Task<FunctionLoadResponse> LoadAsync(FunctionLoadRequest request, CancellationToken ct) =>
        (await SendAsync("load:" + request.FunctionId, new StreamingMessage { FunctionLoadRequest = request }, ct)).FunctionLoadResponse;

    /// <summary>Runs one invocation; when <paramref name="ct"/> fires first the worker gets an InvocationCancel.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken ct)
    {
        try
        {
            return (await SendAsync("invoke:" + request.InvocationId, new StreamingMessage { InvocationRequest = request }, ct)).InvocationResponse;
        }
        catch (OperationCanceledException)
        {
            _outbound.Writer.TryWrite(new StreamingMessage { InvocationCancel = new() { InvocationId = request.InvocationId } });
            throw;
        }
    }

    /// <summary>Asks the worker to stop; it replies with an empty message and exits.</summary>
    public bool Terminate(TimeSpan gracePeriod) =>
        _outbound.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new() { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    private async Task<StreamingMessage> SendAsync(string key, StreamingMessage message, CancellationToken ct)
    {
        if (_closed.Task.IsCompleted)
        {
            throw new WorkerUnavailableException("The worker's stream is closed.");
        }
        var waiter = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, waiter))
        {
            throw new InvalidOperationException($"A request '{key}' is already waiting for the worker.");
        }
        message.RequestId = Guid.NewGuid().ToString();
        if (!_outbound.Writer.TryWrite(message))
        {
            _pending.TryRemove(key, out _);
            throw new WorkerUnavailableException("The worker's stream is closed.");
        }
        try
        {
            return await waiter.Task.WaitAsync(ct);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private void WriteWorkerLog(RpcLog log)
    {
        var category = log.Category is { Length: > 0 } c ? c : "Worker";
        var logger = _workerLoggers.GetOrAdd(category, loggerFactory.CreateLogger);
        var level = ToLogLevel(log.Level);
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var text = log.Exception is { } e && (e.Message.Length > 0 || e.StackTrace.Length > 0)
            ? $"{log.Message}{Environment.NewLine}{e.Type}: {e.Message}{Environment.NewLine}{e.StackTrace}"
            : log.Message;
        LogWorker(logger, level, text);
    }

    public static LogLevel ToLogLevel(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };

    [LoggerMessage(Message = "{Text}")]
    private static partial void LogWorker(ILogger logger, LogLevel level, string text);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "StartStream came from worker {WorkerId}, not the one this host started")]
    private static partial void LogUnexpectedWorker(ILogger logger, string workerId);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Ignored a {Kind} message from the worker")]
    private static partial void LogIgnored(ILogger logger, string kind);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "A reply for {Key} came with nobody waiting (timed out or cancelled)")]
    private static partial void LogUnmatched(ILogger logger, string key);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug, Message = "Worker stream ended: {Reason}")]
    private static partial void LogStreamBroken(ILogger logger, string reason);
}

/// <summary>The worker is gone or its stream closed.</summary>
internal sealed class WorkerUnavailableException(string message) : Exception(message);
