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
    private static (PublicHttpHandler Handler, HostState State) Create(bool ready = true, params FunctionDescriptor[] extra)
    {
        var channel = new WorkerChannel(NullLoggerFactory.Instance);
        var state = new HostState();
        if (ready)
        {
            var registry = new FunctionRegistry([FunctionsFactory.Http("Health", "api/health"), FunctionsFactory.Timer("Sweep", "0 0 2 * * *"), .. extra]);
            state.Registry = registry;
            state.Routes = RouteTable.Build(registry.Functions, string.Empty, RouteTable.CreateConstraintResolver());
            state.Invoker = new FunctionInvoker(channel, TimeSpan.FromSeconds(1), NullLogger.Instance);
        }
        return (new PublicHttpHandler(state, channel, NullLogger<PublicHttpHandler>.Instance), state);
    }

    private static DefaultHttpContext Request(string method, string path, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Host = new HostString("127.0.0.1", 7071);
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ResponseText(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [TestMethod]
    [DataRow("127.0.0.1:7071", true)]
    [DataRow("localhost:7071", true)]
    [DataRow("LOCALHOST", true)]
    [DataRow("[::1]:7071", true)]
    [DataRow("127.0.0.1", true)]
    [DataRow("evil.example:7071", false)]
    [DataRow("127.0.0.1.nip.io:7071", false)]
    [DataRow("localhost.evil.example", false)]
    [DataRow("10.0.0.5:7071", false)]
    [DataRow("127.0.0.1:7071:80", false)]
    [DataRow("", false)]
    public void RequestGuard_Host_OnlyLoopbackNames(string host, bool allowed)
    {
        Assert.AreEqual(allowed, RequestGuard.IsLoopbackHost(new HostString(host)));
    }

    [TestMethod]
    [DataRow("http://127.0.0.1:7071", true)]
    [DataRow("https://127.0.0.1:7071", false)]
    [DataRow("http://localhost:7071", false)]
    [DataRow("http://127.0.0.1:7072", false)]
    [DataRow("null", false)]
    [DataRow("https://evil.example", false)]
    public void RequestGuard_Origin_OnlyTheDevHostsOwn(string origin, bool allowed)
    {
        Assert.AreEqual(allowed, RequestGuard.IsOwnOrigin(origin, new HostString("127.0.0.1", 7071)));
    }

    [TestMethod]
    [DataRow(null, RequestGuard.DefaultMaxRequestBodyBytes)]
    [DataRow("67108864", 67108864L)]
    [DataRow("-1", RequestGuard.DefaultMaxRequestBodyBytes)]
    [DataRow("64MB", RequestGuard.DefaultMaxRequestBodyBytes)]
    public void RequestGuard_BodyLimitSetting_BytesOrTheHostDefault(string? value, long expected)
    {
        Assert.AreEqual(expected, RequestGuard.ParseBodyLimit(value));
    }

    [TestMethod]
    public async Task Handle_DeclaredBodyOverTheLimit_Returns413ProblemWithoutReadingIt()
    {
        var (handler, state) = Create();
        state.MaxRequestBodyBytes = 1024;
        var context = Request("POST", "/api/health");
        var body = new CountingStream();
        context.Request.Body = body;
        context.Request.ContentLength = 1025;

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.AreEqual("application/problem+json", context.Response.ContentType);
        Assert.AreEqual(0, body.Reads);
    }

    [TestMethod]
    [DataRow("Host", "evil.example:7071")]
    [DataRow("Origin", "https://evil.example")]
    public async Task Handle_ForeignHostOrOrigin_Returns403ProblemBeforeTheAdminApi(string header, string value)
    {
        var (handler, _) = Create();
        var context = Request("POST", "/admin/functions/sweep", """{"input":""}""");
        context.Request.ContentType = "text/plain";
        if (header == "Host") context.Request.Host = new HostString(value);
        else context.Request.Headers.Origin = value;

        await handler.HandleAsync(context);

        Assert.AreEqual(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.AreEqual("application/problem+json", context.Response.ContentType);
        StringAssert.Contains(ResponseText(context), "\"status\":403");
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Reads++;
            return base.ReadAsync(buffer, offset, count, cancellationToken);
        }
    }

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
        var (handler, state) = Create(true, FunctionsFactory.Http("Pages", "{*path}"));
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
    public void FunctionListing_Format_ListsRoutesLikeFuncStart()
    {
        var (_, state) = Create();
        var (timers, _) = global::DevHost.Timers.TimerScheduler.Prepare(state.Registry!.Functions, _ => null);

        var text = FunctionListing.Format(state.Registry!, state.Routes!, timers, "http://127.0.0.1:7071");

        Assert.Contains("        Health: [GET] http://127.0.0.1:7071/api/health", text);
        Assert.Contains("        Sweep: timerTrigger (0 0 2 * * *)", text);
    }
}
