using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>
/// Reads a component document to store from a request body in any supported media type, with the parser's
/// findings of a Markdown body (they count in the document's score, whatever route stores it).
/// </summary>
public static class DocumentBodies
{
    public static async Task<DocumentDraft> ReadAsync(
        HttpRequestData request, int limitBytes, MarkdownTemplate markdown, CancellationToken ct = default)
    {
        var mediaType = request.MediaType();
        return mediaType switch
        {
            "application/json" => RequestBody.DeserializeStrict<ComponentDocument>(await request.ReadTextAsync(limitBytes, ct)),
            MarkdownTemplate.MediaType or "text/x-markdown" => Draft(markdown.ParseValid(await request.ReadTextAsync(limitBytes, ct))),
            null => throw new UnsupportedMediaTypeException("Send Content-Type: application/json or text/markdown."),
            _ => throw new UnsupportedMediaTypeException($"'{mediaType}' is not supported here; send application/json or text/markdown."),
        };
    }

    private static DocumentDraft Draft(MarkdownParseResult parsed) => new(parsed.Document, parsed.Findings);
}
