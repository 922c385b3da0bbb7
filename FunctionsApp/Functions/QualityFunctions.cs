using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using ComponentCatalog.Http;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Functions;

/// <summary>Quality scores, linting without storing, and docs-as-code import.</summary>
internal sealed class QualityFunctions(
    ComponentDocuments catalog, CatalogLint lint, ComponentImport import, CatalogOptions options)
{
    [Function("GetQuality")]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/components/{name}/quality")] HttpRequestData req,
        string name, FunctionContext context, CancellationToken ct)
    {
        var report = await catalog.QualityAsync(name, ct);
        return await req.JsonAsync(new { name, score = report.Score, findings = report.Findings });
    }

    [Function("ValidateDocument")]
    public async Task<HttpResponseData> Validate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/validate")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var (name, report) = await LintAsync(req, ct);
        var accept = req.Headers.TryGetValues("Accept", out var values) ? string.Join(",", values) : string.Empty;
        return accept.Contains(Sarif.MediaType, StringComparison.OrdinalIgnoreCase)
            ? await req.TextAsync(Sarif.Log(req.Query["path"], report.Findings).ToJsonString(), Sarif.MediaType + "; charset=utf-8")
            : await req.JsonAsync(new { name, valid = report.Valid, score = report.Score, findings = report.Findings });
    }

    [Function("ImportDocuments")]
    public async Task<HttpResponseData> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/import")] HttpRequestData req,
        FunctionContext context, CancellationToken ct)
    {
        var user = context.GetUser();
        if (req.MediaType() != "application/json")
        {
            throw new UnsupportedMediaTypeException("Send the import as application/json: {documents:[{path, markdown}], dryRun}.");
        }
        var request = RequestBody.DeserializeStrict<ImportRequest>(await req.ReadTextAsync(options.MaxImportBytes, ct));
        var results = await import.ImportAsync(request, user, ct);
        return await req.JsonAsync(new { dryRun = request.DryRun, results });
    }

    /// <summary>A body to lint, JSON or Markdown, read as every document body is (strict UTF-8, size limit).</summary>
    private async Task<LintResult> LintAsync(HttpRequestData req, CancellationToken ct)
    {
        var source = await DocumentBodies.ReadSourceAsync(req, options.MaxBodyBytes, ct);
        return source.IsMarkdown
            ? await lint.MarkdownAsync(source.Text, ct)
            : await lint.JsonAsync(RequestBody.DeserializeStrict<ComponentDocument>(source.Text), ct);
    }
}
