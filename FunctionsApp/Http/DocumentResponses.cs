using System.Net;
using ComponentCatalog.Catalog;
using ComponentCatalog.Markdown;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>
/// Writes a stored document in the representation the client asked for (<c>Accept</c>): JSON or Markdown, gzip'd when
/// <c>Accept-Encoding</c> allows it — the JSON as stored, the Markdown compressed once per cached revision.
/// </summary>
internal static class DocumentResponses
{
    /// <summary>
    /// The representation to answer with, or 406. A write decides this before it stores anything, so a client
    /// is never told "not acceptable" about a revision it did create.
    /// </summary>
    public static DocumentFormat Negotiate(HttpRequestData request) =>
        Negotiation.Choose(request.Headers.TryGetValues("Accept", out var values) ? string.Join(", ", values) : null);

    public static Task<HttpResponseData> WriteAsync(
        HttpRequestData request, StoredDocument stored, MarkdownTemplate markdown, HttpStatusCode status = HttpStatusCode.OK) =>
        WriteAsync(request, stored, markdown, Negotiate(request), status);

    public static async Task<HttpResponseData> WriteAsync(
        HttpRequestData request, StoredDocument stored, MarkdownTemplate markdown, DocumentFormat format, HttpStatusCode status = HttpStatusCode.OK)
    {
        var gzip = Negotiation.AcceptsGzip(request.Headers.TryGetValues("Accept-Encoding", out var codings) ? string.Join(", ", codings) : null);
        var response = (format, gzip) switch
        {
            (DocumentFormat.Markdown, true) => await request.BytesAsync(stored.MarkdownGzip(markdown.Render), MarkdownTemplate.ContentType, status, stored.ETag),
            (DocumentFormat.Markdown, false) => await request.TextAsync(markdown.Render(stored.Document), MarkdownTemplate.ContentType, status, stored.ETag),
            (_, true) => await request.BytesAsync(stored.Gzip, Responses.Json, status, stored.ETag),
            _ => await request.BytesAsync(stored.Json, Responses.Json, status, stored.ETag),
        };
        if (gzip)
        {
            response.Headers.Add("Content-Encoding", "gzip");
        }
        response.Headers.Add("Vary", "Accept, Accept-Encoding");
        return response;
    }
}
