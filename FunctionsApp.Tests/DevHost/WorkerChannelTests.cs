using System.Collections.Concurrent;
using System.Threading.Channels;
using DevHost.Rpc;
using DevHost.Worker;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class WorkerChannelTests
{
    private sealed class FakeReader : IAsyncStreamReader<StreamingMessage>
    {
        public Channel<StreamingMessage> Incoming { get; } = Channel.CreateUnbounded<StreamingMessage>();

        public StreamingMessage Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (await Incoming.Reader.WaitToReadAsync(cancellationToken) && Incoming.Reader.TryRead(out var message))
            {
                Current = message;
                return true;
            }
            return false;
        }
    }

    private sealed class FakeWriter : IServerStreamWriter<StreamingMessage>
    {
        public Channel<StreamingMessage> Outgoing { get; } = Channel.CreateUnbounded<StreamingMessage>();

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(StreamingMessage message) => Outgoing.Writer.WriteAsync(message).AsTask();

        public Task WriteAsync(StreamingMessage message, CancellationToken cancellationToken) => Outgoing.Writer.WriteAsync(message, cancellationToken).AsTask();
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }

    private readonly FakeReader _reader = new();
    private readonly FakeWriter _writer = new();
    private readonly CapturingProvider _logs = new();
    private WorkerChannel _channel = null!;
    private Task _stream = null!;

    [TestInitialize]
    public void Open()
    {
        _channel = new WorkerChannel(LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))) { ExpectedWorkerId = "w1" };
        _stream = _channel.RunStreamAsync(_reader, _writer, CancellationToken.None);
    }

    [TestCleanup]
    public async Task CloseAsync()
    {
        _reader.Incoming.Writer.TryComplete();
        await _stream.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private async Task<StreamingMessage> NextSentAsync() => await _writer.Outgoing.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

    private static StreamingMessage Reply(string invocationId, string status) => new()
    {
        InvocationResponse = new InvocationResponse
        {
            InvocationId = invocationId,
            Result = new StatusResult { Status = StatusResult.Types.Status.Success },
            ReturnValue = new TypedData { Http = new RpcHttp { StatusCode = status } },
        },
    };

    [TestMethod]
    public async Task StartStream_Received_CompletesStartedWithWorkerId()
    {
        await _reader.Incoming.Writer.WriteAsync(new StreamingMessage { StartStream = new StartStream { WorkerId = "w1" } });

        Assert.AreEqual("w1", await _channel.Started.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [TestMethod]
    public async Task InvokeAsync_RepliesOutOfOrder_EachMatchedByInvocationId()
    {
        var first = _channel.InvokeAsync(new InvocationRequest { InvocationId = "a" }, CancellationToken.None);
        var second = _channel.InvokeAsync(new InvocationRequest { InvocationId = "b" }, CancellationToken.None);
        var sent = new[] { await NextSentAsync(), await NextSentAsync() };

        await _reader.Incoming.Writer.WriteAsync(new StreamingMessage());
        await _reader.Incoming.Writer.WriteAsync(Reply("b", "202"));
        await _reader.Incoming.Writer.WriteAsync(Reply("a", "201"));

        CollectionAssert.AreEquivalent(new[] { "a", "b" }, sent.Select(m => m.InvocationRequest.InvocationId).ToArray());
        Assert.IsTrue(sent.All(m => m.RequestId.Length > 0));
        Assert.AreEqual("201", (await first.WaitAsync(TimeSpan.FromSeconds(5))).ReturnValue.Http.StatusCode);
        Assert.AreEqual("202", (await second.WaitAsync(TimeSpan.FromSeconds(5))).ReturnValue.Http.StatusCode);
    }

    [TestMethod]
    public async Task LoadAsync_Reply_MatchedByFunctionId()
    {
        var load = _channel.LoadAsync(new FunctionLoadRequest { FunctionId = "f1" }, CancellationToken.None);
        Assert.AreEqual("f1", (await NextSentAsync()).FunctionLoadRequest.FunctionId);

        await _reader.Incoming.Writer.WriteAsync(new StreamingMessage { FunctionLoadResponse = new FunctionLoadResponse { FunctionId = "f1", Result = new StatusResult { Status = StatusResult.Types.Status.Success } } });

        Assert.AreEqual(StatusResult.Types.Status.Success, (await load.WaitAsync(TimeSpan.FromSeconds(5))).Result.Status);
    }

    [TestMethod]
    public async Task InvokeAsync_Cancelled_SendsInvocationCancel()
    {
        using var cancel = new CancellationTokenSource();
        var invocation = _channel.InvokeAsync(new InvocationRequest { InvocationId = "slow" }, cancel.Token);
        await NextSentAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => invocation);
        Assert.AreEqual("slow", (await NextSentAsync()).InvocationCancel.InvocationId);
    }

    [TestMethod]
    public async Task StreamEnds_PendingInvocation_FailsWithWorkerUnavailable()
    {
        var invocation = _channel.InvokeAsync(new InvocationRequest { InvocationId = "x" }, CancellationToken.None);
        await NextSentAsync();

        _reader.Incoming.Writer.TryComplete();

        await Assert.ThrowsExactlyAsync<WorkerUnavailableException>(() => invocation.WaitAsync(TimeSpan.FromSeconds(5)));
        await _channel.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsExactlyAsync<WorkerUnavailableException>(() => _channel.InvokeAsync(new InvocationRequest { InvocationId = "y" }, CancellationToken.None));
    }

    [TestMethod]
    public async Task Terminate_Always_SendsWorkerTerminateWithGrace()
    {
        _channel.Terminate(TimeSpan.FromSeconds(5));

        Assert.AreEqual(TimeSpan.FromSeconds(5), (await NextSentAsync()).WorkerTerminate.GracePeriod.ToTimeSpan());
    }

    [TestMethod]
    public async Task RpcLog_Received_LoggedWithItsLevelAndCategory()
    {
        await _reader.Incoming.Writer.WriteAsync(new StreamingMessage
        {
            RpcLog = new RpcLog { Category = "ComponentCatalog.Functions.Health", Level = RpcLog.Types.Level.Warning, Message = "storage slow" },
        });
        _reader.Incoming.Writer.TryComplete();
        await _stream.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains(("ComponentCatalog.Functions.Health", LogLevel.Warning, "storage slow"), _logs.Entries.ToList());
    }
}
