using System.Net;
using ComponentCatalog.Auth;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>
/// <c>/api/admin/api-keys</c>: admins create, list and revoke API keys. The Functions host refuses route templates
/// that start with <c>admin</c> (its own API lives there), and its routing treats a literal <c>admin</c> segment
/// warily, so the segment is a parameter constrained to the literal <c>admin</c>: the public URL stays the
/// contract's, the template never holds the reserved word. (The <c>api/</c> prefix is in the route itself:
/// host.json's <c>routePrefix</c> is empty so the site root can serve pages.)
/// </summary>
internal sealed class ApiKeysFunctions(ApiKeyService apiKeys)
{
    internal const string Route = "api/{scope:regex(^admin$)}/api-keys";
    private const int MaxBodyBytes = 16 * 1024;

    [Function("CreateApiKey")]
    public async Task<HttpResponseData> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        if (req.MediaType() != "application/json")
        {
            throw new UnsupportedMediaTypeException("Send the key request as application/json.");
        }
        var request = RequestBody.DeserializeStrict<ApiKeyRequest>(await req.ReadTextAsync(MaxBodyBytes, ct));
        var created = await apiKeys.CreateAsync(request, user, ct);
        var response = await req.JsonAsync(created, HttpStatusCode.Created);
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }

    [Function("ListApiKeys")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var items = await apiKeys.ListAsync(ct);
        return await req.JsonAsync(new { items });
    }

    [Function("RevokeApiKey")]
    public async Task<HttpResponseData> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route + "/{id}")] HttpRequestData req,
        string id, FunctionContext context, CancellationToken ct)
    {
        await apiKeys.RevokeAsync(id, ct);
        return req.Empty(HttpStatusCode.NoContent);
    }
}
