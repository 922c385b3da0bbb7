using System.Collections.Specialized;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Support;

/// <summary>
/// Fakes of the worker's HTTP types, for calling function methods directly. Exceptions are mapped the
/// way ExceptionMiddleware maps them (ProblemMapper + CreateProblemResponseAsync), so a test sees the
/// status and problem body a client would.
/// </summary>
internal sealed class FakeRequest : HttpRequestData
{
    private readonly FakeContext _context;

    public FakeRequest(FakeContext context, string method, string path, string? body = null, string? contentType = null)
        : base(context)
    {
        _context = context;
        Method = method;
        Url = new Uri("http://127.0.0.1:7071" + path);
        if (body is not null)
        {
            Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            Headers.Add("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (contentType is not null)
        {
            Headers.Add("Content-Type", contentType);
        }
    }

    public override Stream Body { get; } = new MemoryStream();
    public override HttpHeadersCollection Headers { get; } = new();
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; }
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method { get; }

    public override HttpResponseData CreateResponse() => new FakeResponse(_context);

    public FakeRequest WithHeader(string name, string value)
    {
        Headers.TryAddWithoutValidation(name, value);
        return this;
    }
}

internal sealed class FakeResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = new();
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies { get; } = null!;

    public byte[] BodyBytes => ((MemoryStream)Body).ToArray();

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;
}

internal sealed class FakeContext : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId { get; } = "test";
    public override TraceContext TraceContext { get; } = null!;
    public override BindingContext BindingContext { get; } = null!;
    public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext { get; } = null!;
    public override IServiceProvider InstanceServices { get; set; } = null!;
    public override FunctionDefinition FunctionDefinition { get; } = null!;
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features { get; } = null!;

    public static FakeContext As(CatalogUser? user)
    {
        var context = new FakeContext();
        if (user is not null)
        {
            context.SetUser(user);
        }
        return context;
    }
}

/// <summary>What a client sees: status, headers, body.</summary>
internal sealed record Reply(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public static async Task<Reply> From(Func<Task<HttpResponseData>> call, HttpRequestData request)
    {
        HttpResponseData response;
        try
        {
            response = await call();
        }
        catch (Exception e)
        {
            response = await request.CreateProblemResponseAsync(ProblemMapper.Map(e is JsonException j ? RequestBody.InvalidJson(j) : e), "trace");
        }

        response.Body.Position = 0;
        var body = await new StreamReader(response.Body).ReadToEndAsync();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Reply(response.StatusCode, headers, body);
    }
}
