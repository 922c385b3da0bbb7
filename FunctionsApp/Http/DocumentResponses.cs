using System.Net;
using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>Writes a stored document in the representation the client asked for (<c>Accept</c>): JSON or Markdown.</summary>
public static class DocumentResponses
{
    public static async Task<HttpResponseData> WriteAsync(
        HttpRequestData request, StoredDocument stored, MarkdownTemplate markdown, HttpStatusCode status = HttpStatusCode.OK)
    {
        var format = Negotiation.Choose(request.Headers.TryGetValues("Accept", out var values) ? string.Join(", ", values) : null);
        var response = format == DocumentFormat.Markdown
            ? await request.TextAsync(markdown.Render(stored.Document), MarkdownTemplate.ContentType, status, stored.ETag)
            : await request.BytesAsync(stored.Json, Responses.Json, status, stored.ETag);
        response.Headers.Add("Vary", "Accept");
        return response;
    }
}
