using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>The text of a component document body and the format it is in.</summary>
internal sealed record DocumentSource(bool IsMarkdown, string Text);

/// <summary>
/// Reads a component document to store from a request body in any supported media type, with the parser's
/// findings of a Markdown body (they count in the document's score, whatever route stores it).
/// </summary>
internal static class DocumentBodies
{
    /// <summary>The body's text (read and decoded by <see cref="RequestBody.ReadTextAsync"/>) and whether it is Markdown; 415 for other media types.</summary>
    public static async Task<DocumentSource> ReadSourceAsync(HttpRequestData request, int limitBytes, CancellationToken ct = default)
    {
        var mediaType = request.MediaType();
        return mediaType switch
        {
            "application/json" => new DocumentSource(false, await request.ReadTextAsync(limitBytes, ct)),
            MarkdownTemplate.MediaType or "text/x-markdown" => new DocumentSource(true, await request.ReadTextAsync(limitBytes, ct)),
            null => throw new UnsupportedMediaTypeException("Send Content-Type: application/json or text/markdown."),
            _ => throw new UnsupportedMediaTypeException($"'{mediaType}' is not supported here; send application/json or text/markdown."),
        };
    }

    public static async Task<DocumentDraft> ReadAsync(
        HttpRequestData request, int limitBytes, MarkdownTemplate markdown, CancellationToken ct = default)
    {
        var source = await ReadSourceAsync(request, limitBytes, ct);
        return source.IsMarkdown
            ? Draft(markdown.ParseValid(source.Text))
            : RequestBody.DeserializeStrict<ComponentDocument>(source.Text);
    }

    private static DocumentDraft Draft(MarkdownParseResult parsed) => new(parsed.Document, parsed.Findings);
}
