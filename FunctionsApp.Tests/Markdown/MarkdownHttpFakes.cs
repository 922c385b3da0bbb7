using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Markdown;

/// <summary>Just enough of the worker's HTTP types to drive the body readers, the response writers and GET /template.</summary>
internal sealed class FakeFunctionContext : FunctionContext
{
    public override string InvocationId => "test-invocation";
    public override string FunctionId => "test-function";
    public override TraceContext TraceContext => throw new NotSupportedException();
    public override BindingContext BindingContext => throw new NotSupportedException();
    public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => throw new NotSupportedException();
    public override IServiceProvider InstanceServices { get; set; } = null!;
    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => throw new NotSupportedException();
}

internal sealed class FakeHttpRequest : HttpRequestData
{
    public FakeHttpRequest(string method, string url, byte[]? body = null, params (string Name, string Value)[] headers)
        : base(new FakeFunctionContext())
    {
        Method = method;
        Url = new Uri(url);
        Body = new MemoryStream(body ?? []);
        foreach (var (name, value) in headers)
        {
            Headers.Add(name, value);
        }
    }

    public override Stream Body { get; }
    public override HttpHeadersCollection Headers { get; } = new();
    public override IReadOnlyCollection<IHttpCookie> Cookies => [];
    public override Uri Url { get; }
    public override IEnumerable<ClaimsIdentity> Identities => [];
    public override string Method { get; }

    public override HttpResponseData CreateResponse() => new FakeHttpResponse(FunctionContext);
}

internal sealed class FakeHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = new();
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies => throw new NotSupportedException();

    public byte[] BodyBytes => ((MemoryStream)Body).ToArray();

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;
}
