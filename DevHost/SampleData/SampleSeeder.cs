using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevHost.SampleData;

/// <summary>What a seeding did: skipped (storage had documents) or the import's count per status.</summary>
internal sealed record SeedOutcome(bool Skipped, int Files, IReadOnlyDictionary<string, int> Statuses)
{
    public int Count(string status) => Statuses.GetValueOrDefault(status);

    public string Summary => string.Join(", ", Statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value} {s.Key}"));
}

/// <summary>
/// Sample data for a first run: the repository's own component documents (<c>docs/components</c>) and the examples
/// (<c>docs/examples</c>), loaded through the app's own import route (<c>POST /api/import</c>, as a Catalog.Admin dev
/// token) once the worker is ready — so they are parsed, scored, indexed and graphed exactly like any push. Nothing
/// happens when the catalog already lists a document.
/// </summary>
internal sealed class SampleSeeder(HttpClient client, string bearerToken)
{
    public static IReadOnlyList<string> Folders { get; } = ["docs/components", "docs/examples"];

    /// <summary>The Markdown files of <see cref="Folders"/> under <paramref name="root"/>, as import documents (path relative, '/').</summary>
    public static IReadOnlyList<(string Path, string Markdown)> ReadDocuments(string root) =>
        Folders.Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.md", SearchOption.TopDirectoryOnly))
            .Order(StringComparer.Ordinal)
            .Select(file => (Path.GetRelativePath(root, file).Replace('\\', '/'), File.ReadAllText(file)))
            .ToArray();

    /// <summary>Imports <paramref name="documents"/> unless the catalog already lists a document.</summary>
    public async Task<SeedOutcome> SeedAsync(IReadOnlyList<(string Path, string Markdown)> documents, CancellationToken ct)
    {
        if (await HasDocumentsAsync(ct))
        {
            return new SeedOutcome(true, documents.Count, new Dictionary<string, int>());
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in documents.Chunk(500))
        {
            using var request = Request(HttpMethod.Post, "api/import");
            request.Content = JsonContent.Create(new { documents = batch.Select(d => new { path = d.Path, markdown = d.Markdown }), dryRun = false });
            using var response = await client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"POST /api/import answered {(int)response.StatusCode}: {Shorten(body)}");
            }
            foreach (var result in JsonNode.Parse(body)?["results"]?.AsArray() ?? [])
            {
                var status = result?["status"]?.GetValue<string>() ?? "unknown";
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
        }
        return new SeedOutcome(false, documents.Count, statuses);
    }

    private async Task<bool> HasDocumentsAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, "api/components?limit=1");
        using var response = await client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /api/components answered {(int)response.StatusCode}: {Shorten(body)}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("items", out var items) && items.GetArrayLength() > 0;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return request;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
