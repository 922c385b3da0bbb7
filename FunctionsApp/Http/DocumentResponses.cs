using System.Net;
using ComponentCatalog.Catalog;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Http;

/// <summary>Writes a stored document in the representation the client asked for.</summary>
public static class DocumentResponses
{
    public static Task<HttpResponseData> WriteAsync(HttpRequestData request, StoredDocument stored, HttpStatusCode status = HttpStatusCode.OK) =>
        request.JsonAsync(stored.Document, status, stored.ETag);
}
