using System.Text;
using System.Text.Json;
using DevHost;
using DevHost.Functions;
using DevHost.Http;
using DevHost.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComponentCatalog.Tests.DevHost;

/// <summary>The dev host's own endpoints and routing decisions, without a worker behind them.</summary>
[TestClass]
public sealed class PublicHttpHandlerTests
{
    /// <summary>Routed like the app: <c>routePrefix</c> "" and the <c>api/</c> prefix in each function's route.</summary>
    private static (PublicHttpHandler Handler, HostState State) Create(bool ready = true, WorkerChannel? worker = null, params FunctionDescriptor[] extra)
    {
        var channel = worker ?? new WorkerChannel(NullLoggerFactory.Instance);
        var state = new HostState();
        if (ready)
        {
            var registry = new FunctionRegistry([FunctionsFactory.Http("Health", "api/health"), FunctionsFactory.Timer("Sweep", "0 0 2 * * *"), .. extra]);
            state.Registry = registry;
            state.Routes = RouteTable.Build(registry.Functions, string.Empty, RouteTable.CreateConstraintResolver());
            state.Invoker = new FunctionInvoker(channel, TimeSpan.FromSeconds(1), NullLogger.Instance);
        }
        return (new PublicHttpHandler(state, NullLogger<PublicHttpHandler>.Instance), state);
    }

    private static DefaultHttpContext Request(string method, string path, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [TestMethod]
    public async Task AdminInvoke_TimerFunctionWithBody_Returns202()
    {
        var (handler, _) = Create();
        var context = Request("POST", "/admin/functions/sweep", """{"input":""}""");

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status202Accepted, context.Response.StatusCode);
    }

    [TestMethod]
    public async Task AdminInvoke_CatchAllFunctionAtTheSiteRoot_StillReachesTheHostsAdminApi()
    {
        var (handler, state) = Create(true, null, FunctionsFactory.Http("Pages", "{*path}"));
        var context = Request("POST", "/admin/functions/sweep", """{"input":""}""");

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status202Accepted, context.Response.StatusCode);
        Assert.AreEqual("Pages", state.Routes!.Match(Request("GET", "/admin-guide"))?.Function.Name, "only the /admin segment is the host's");
    }

    [TestMethod]
    [DataRow("/admin/functions/Nope", """{"input":""}""", StatusCodes.Status404NotFound)]
    [DataRow("/admin/functions/Sweep", "", StatusCodes.Status400BadRequest)]
    [DataRow("/admin/functions/Sweep", "not json", StatusCodes.Status400BadRequest)]
    [DataRow("/admin/functions/Nope", "", StatusCodes.Status400BadRequest)]
    [DataRow("/admin/functions/Health", """{"input":""}""", StatusCodes.Status400BadRequest)]
    [DataRow("/admin/other", "", StatusCodes.Status404NotFound)]
    public async Task AdminInvoke_BadRequests_AnswerLikeTheRealHost(string path, string body, int expected)
    {
        var (handler, _) = Create();
        var context = Request("POST", path, body);

        await handler.HandleAsync(context);

        Assert.AreEqual(expected, context.Response.StatusCode);
    }

    [TestMethod]
    public async Task HostStatus_Ready_ReportsRunning()
    {
        var (handler, state) = Create();
        var context = Request("GET", "/admin/host/status");

        await handler.HandleAsync(context);

        using var body = JsonDocument.Parse(ResponseText(context));
        Assert.AreEqual(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.AreEqual("Running", body.RootElement.GetProperty("state").GetString());
        Assert.AreEqual(state.InstanceId, body.RootElement.GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task FunctionRoute_NotReady_Returns503WithRetryAfter()
    {
        var (handler, _) = Create(ready: false);
        var context = Request("GET", "/api/health");

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.AreEqual("1", context.Response.Headers.RetryAfter.ToString());
    }

    [TestMethod]
    [DataRow("GET", "/api/nope")]
    [DataRow("PUT", "/api/health")]
    public async Task FunctionRoute_NoMatch_Returns404(string method, string path)
    {
        var (handler, _) = Create();
        var context = Request(method, path);

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }

    [TestMethod]
    public async Task FunctionRoute_WorkerNeverAnswers_FunctionTimeoutReturns500()
    {
        var (handler, state) = Create();
        state.HostJson = state.HostJson with { FunctionTimeout = TimeSpan.FromMilliseconds(200) };
        var context = Request("GET", "/api/health");

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
    }

    [TestMethod]
    public async Task FunctionRoute_WorkerStreamClosed_Returns503WithRetryAfter()
    {
        var channel = new WorkerChannel(NullLoggerFactory.Instance);
        await channel.RunStreamAsync(new EndedStream(), null!, CancellationToken.None);
        var (handler, _) = Create(worker: channel);
        var context = Request("GET", "/api/health");

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.AreEqual("1", context.Response.Headers.RetryAfter.ToString());
    }

    /// <summary>A worker stream that ends at once, as when the worker process dies.</summary>
    private sealed class EndedStream : Grpc.Core.IAsyncStreamReader<global::DevHost.Rpc.StreamingMessage>
    {
        public global::DevHost.Rpc.StreamingMessage Current => throw new InvalidOperationException();

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromResult(false);
    }

    [TestMethod]
    public void FunctionListing_Format_ListsRoutesLikeFuncStart()
    {
        var (_, state) = Create();
        var (timers, _) = global::DevHost.Timers.TimerScheduler.Prepare(state.Registry!.Functions, _ => null);

        var text = FunctionListing.Format(state.Registry!, state.Routes!, timers, "http://127.0.0.1:7071");

        Assert.Contains("        Health: [GET] http://127.0.0.1:7071/api/health", text);
        Assert.Contains("        Sweep: timerTrigger (0 0 2 * * *)", text);
    }
}
