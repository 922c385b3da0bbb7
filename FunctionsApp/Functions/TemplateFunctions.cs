using ComponentCatalog.Markdown;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary><c>GET /template</c>: the blank template, verbatim. Anonymous: it never asks who the caller is.</summary>
internal sealed class TemplateFunctions
{
    [Function("GetTemplate")]
    public async Task<HttpResponseData> GetTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/template")] HttpRequestData req, CancellationToken ct)
    {
        var response = req.CreateResponse(System.Net.HttpStatusCode.OK);
        response.Headers.Add("Content-Type", MarkdownTemplate.ContentType);
        response.Headers.Add("Cache-Control", "public, max-age=3600");
        await response.Body.WriteAsync(TemplateResource.Utf8, ct);
        return response;
    }
}
