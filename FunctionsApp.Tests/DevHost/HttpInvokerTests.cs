using System.Text;
using System.Text.Json;
using DevHost.Http;
using DevHost.Rpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ComponentCatalog.Tests.DevHost;

[TestClass]
public sealed class HttpInvokerTests
{
    private static readonly global::DevHost.Functions.FunctionDescriptor GetItem = FunctionsFactory.Http("GetItem", "items/{id}");

    private static HttpRequest Request(string method, string path, string query = "", string? contentType = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }
        return context.Request;
    }

    [TestMethod]
    public void CreateInvocation_GetWithQueryAndRoute_FillsNullableMapsAndUrl()
    {
        var request = Request("GET", "/api/items/42", "?verbose=yes&empty=", null, ("Accept", "text/plain"), ("X-Multi", "a"), ("X-Multi", "b"));

        var invocation = HttpInvoker.CreateInvocation(GetItem, request, new RouteValueDictionary { ["id"] = "42" }, ReadOnlyMemory<byte>.Empty, "inv-1");
        var http = invocation.InputData.Single().Data.Http;

        Assert.AreEqual("inv-1", invocation.InvocationId);
        Assert.AreEqual("id-GetItem", invocation.FunctionId);
        Assert.AreEqual("req", invocation.InputData.Single().Name);
        Assert.AreEqual("GET", http.Method);
        Assert.AreEqual("http://127.0.0.1:7071/api/items/42?verbose=yes&empty=", http.Url);
        Assert.AreEqual("text/plain", http.NullableHeaders["accept"].Value);
        Assert.AreEqual("a,b", http.NullableHeaders["x-multi"].Value);
        Assert.IsEmpty(http.Headers);
        Assert.AreEqual("yes", http.NullableQuery["verbose"].Value);
        Assert.AreEqual(string.Empty, http.NullableQuery["empty"].Value);
        Assert.AreEqual("42", http.NullableParams["id"].Value);
        Assert.IsNull(http.Body);
    }

    [TestMethod]
    public void CreateInvocation_Body_SentAsBytes()
    {
        var body = Encoding.UTF8.GetBytes("plain text");

        var invocation = HttpInvoker.CreateInvocation(GetItem, Request("POST", "/api/items/1", contentType: "text/plain"), new RouteValueDictionary(), body, "inv");
        var http = invocation.InputData.Single().Data.Http;

        Assert.AreEqual(TypedData.DataOneofCase.Bytes, http.Body.DataCase);
        Assert.AreEqual("plain text", http.Body.Bytes.ToStringUtf8());
    }

    [TestMethod]
    public void CreateInvocation_TriggerMetadata_BodyThenQueryThenRouteValuesWin()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"from-body","qty":3,"tags":["a"],"name":"widget"}""");
        var request = Request("POST", "/api/items/42", "?id=from-query&note=hi&code=secret", "application/json; charset=utf-8", ("X-Trace", "t"));

        var metadata = HttpInvoker.CreateInvocation(GetItem, request, new RouteValueDictionary { ["id"] = "42" }, body, "inv").TriggerMetadata;

        Assert.AreEqual("42", metadata["id"].String);
        Assert.AreEqual("hi", metadata["note"].String);
        Assert.AreEqual("widget", metadata["name"].String);
        Assert.AreEqual("3", metadata["qty"].Json);
        Assert.AreEqual("""["a"]""", metadata["tags"].Json);
        Assert.IsFalse(metadata.ContainsKey("code"));
        var query = JsonSerializer.Deserialize<Dictionary<string, string>>(metadata["Query"].Json)!;
        Assert.AreEqual("secret", query["code"]);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(metadata["Headers"].Json)!;
        Assert.AreEqual("t", headers["X-Trace"]);
        Assert.IsFalse(metadata.ContainsKey("req"));
    }

    [TestMethod]
    public void CreateInvocation_NonJsonBody_NoBodyPropertiesInMetadata()
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"widget"}""");

        var metadata = HttpInvoker.CreateInvocation(GetItem, Request("POST", "/api/items/1", contentType: "text/plain"), new RouteValueDictionary(), body, "inv").TriggerMetadata;

        Assert.IsFalse(metadata.ContainsKey("name"));
    }

    [TestMethod]
    [DataRow(new byte[] { 0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D })]
    [DataRow(new byte[] { 0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x7D })]
    public void CreateInvocation_JsonBodyWithStringsThatAreNotText_InvocationWithoutBodyProperties(byte[] body)
    {
        var metadata = HttpInvoker.CreateInvocation(GetItem, Request("POST", "/api/items/1", contentType: "application/json"), new RouteValueDictionary(), body, "inv").TriggerMetadata;

        Assert.IsFalse(metadata.ContainsKey("n"));
        Assert.IsTrue(metadata.ContainsKey("Headers"));
    }

    [TestMethod]
    public void CreateTraceContext_ValidTraceParent_ContinuesTraceWithNewSpan()
    {
        var context = HttpInvoker.CreateTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=1");

        var parts = context.TraceParent.Split('-');
        Assert.AreEqual("00", parts[0]);
        Assert.AreEqual("0af7651916cd43dd8448eb211c80319c", parts[1]);
        Assert.AreNotEqual("b7ad6b7169203331", parts[2]);
        Assert.AreEqual(16, parts[2].Length);
        Assert.AreEqual("01", parts[3]);
        Assert.AreEqual("vendor=1", context.TraceState);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("garbage")]
    public void CreateTraceContext_MissingOrInvalid_StartsNewTrace(string? traceParent)
    {
        var context = HttpInvoker.CreateTraceContext(traceParent, null);

        Assert.MatchesRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", context.TraceParent);
        Assert.AreEqual(string.Empty, context.TraceState);
    }

    private static InvocationResponse Success(TypedData? returnValue = null)
    {
        var response = new InvocationResponse { InvocationId = "inv", Result = new StatusResult { Status = StatusResult.Types.Status.Success } };
        if (returnValue is not null)
        {
            response.ReturnValue = returnValue;
        }
        return response;
    }

    private static TypedData HttpResult(string? status, string? body = null, params (string Name, string Value)[] headers)
    {
        var http = new RpcHttp();
        if (status is not null)
        {
            http.StatusCode = status;
        }
        foreach (var (name, value) in headers)
        {
            http.Headers[name] = value;
        }
        if (body is not null)
        {
            http.Body = new TypedData { Bytes = ByteString.CopyFromUtf8(body) };
        }
        return new TypedData { Http = http };
    }

    [TestMethod]
    public void MapResponse_Failure_Returns500Empty()
    {
        var response = new InvocationResponse { Result = new StatusResult { Status = StatusResult.Types.Status.Failure, Exception = new RpcException { Message = "kaboom" } } };

        var plan = HttpInvoker.MapResponse(GetItem, response);

        Assert.AreEqual(500, plan.StatusCode);
        Assert.IsTrue(plan.Body.IsEmpty);
    }

    [TestMethod]
    public void MapResponse_ReturnHttp_MapsStatusContentTypeHeadersAndBody()
    {
        var plan = HttpInvoker.MapResponse(GetItem, Success(HttpResult("201", "{\"a\":1}", ("Content-Type", "application/json; charset=utf-8"), ("X-Sample", "v1,v2"), ("Content-Length", "7"))));

        Assert.AreEqual(201, plan.StatusCode);
        Assert.AreEqual("application/json; charset=utf-8", plan.ContentType);
        CollectionAssert.AreEqual(new[] { new KeyValuePair<string, string>("X-Sample", "v1,v2") }, plan.Headers.ToArray());
        Assert.AreEqual("{\"a\":1}", Encoding.UTF8.GetString(plan.Body.Span));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("abc")]
    public void MapResponse_MissingOrBadStatus_Returns200(string? status)
    {
        Assert.AreEqual(200, HttpInvoker.MapResponse(GetItem, Success(HttpResult(status))).StatusCode);
    }

    [TestMethod]
    public void MapResponse_NoResult_Returns200Empty()
    {
        var plan = HttpInvoker.MapResponse(GetItem, Success());

        Assert.AreEqual(200, plan.StatusCode);
        Assert.IsTrue(plan.Body.IsEmpty);
    }

    [TestMethod]
    public void MapResponse_NamedHttpOutput_ReadsOutputDataNotReturnValue()
    {
        var multi = FunctionsFactory.Http("MultiOut", "multi", output: "Http");
        var response = Success(new TypedData { String = "ignored" });
        response.OutputData.Add(new ParameterBinding { Name = "Queue", Data = new TypedData { String = "q" } });
        response.OutputData.Add(new ParameterBinding { Name = "Http", Data = HttpResult("202", "from named http output") });

        var plan = HttpInvoker.MapResponse(multi, response);

        Assert.AreEqual(202, plan.StatusCode);
        Assert.AreEqual("from named http output", Encoding.UTF8.GetString(plan.Body.Span));
    }

    [TestMethod]
    public void MapResponse_StringReturnValue_WrittenAsBody()
    {
        var plan = HttpInvoker.MapResponse(GetItem, Success(new TypedData { String = "hello" }));

        Assert.AreEqual(200, plan.StatusCode);
        Assert.AreEqual("hello", Encoding.UTF8.GetString(plan.Body.Span));
    }

    [TestMethod]
    public void FormatCookie_AllAttributes_FormattedLikeAspNetCore()
    {
        var cookie = new RpcHttpCookie
        {
            Name = "seen",
            Value = "World",
            Path = new NullableString { Value = "/" },
            HttpOnly = new NullableBool { Value = true },
            MaxAge = new NullableDouble { Value = 60 },
        };
        var full = new RpcHttpCookie
        {
            Name = "s",
            Value = "a b",
            Domain = new NullableString { Value = "example.com" },
            Secure = new NullableBool { Value = true },
            SameSite = RpcHttpCookie.Types.SameSite.ExplicitNone,
            Expires = new NullableTimestamp { Value = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)) },
        };

        Assert.AreEqual("seen=World; max-age=60; path=/; httponly", HttpInvoker.FormatCookie(cookie));
        Assert.AreEqual("s=a%20b; expires=Wed, 02 Jan 2030 03:04:05 GMT; domain=example.com; secure; samesite=none", HttpInvoker.FormatCookie(full));
    }

    [TestMethod]
    public async Task WriteAsync_Plan_WritesStatusHeadersCookiesAndBody()
    {
        var result = HttpResult("200", "ok", ("Content-Type", "text/plain"), ("X-Multi", "a,b"));
        result.Http.Cookies.Add(new RpcHttpCookie { Name = "a", Value = "1" });
        result.Http.Cookies.Add(new RpcHttpCookie { Name = "b", Value = "2" });
        var plan = HttpInvoker.MapResponse(GetItem, Success(result));
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await HttpInvoker.WriteAsync(context.Response, plan, CancellationToken.None);

        Assert.AreEqual(200, context.Response.StatusCode);
        Assert.AreEqual("text/plain", context.Response.ContentType);
        Assert.AreEqual("a,b", context.Response.Headers["X-Multi"].ToString());
        CollectionAssert.AreEqual(new[] { "a=1", "b=2" }, context.Response.Headers.SetCookie.ToArray());
        Assert.AreEqual(2, context.Response.ContentLength);
        Assert.AreEqual("ok", Encoding.UTF8.GetString(body.ToArray()));
    }
}
