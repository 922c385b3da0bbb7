using ComponentCatalog.Errors;
using ComponentCatalog.Markdown;
using ComponentCatalog.Model;
using ComponentCatalog.Quality;
using ComponentCatalog.Search;

namespace ComponentCatalog.Catalog;

internal sealed record ImportDocument(string? Path, string? Markdown);

internal sealed record ImportRequest(IReadOnlyList<ImportDocument>? Documents, bool DryRun = false);

/// <summary>One document's outcome: <c>created|updated|unchanged|invalid|forbidden</c>.</summary>
internal sealed record ImportResult(
    string? Path, string? Name, string Status, int? Score, IReadOnlyDictionary<string, string[]>? Errors, int? Revision);

/// <summary>
/// Docs-as-code import: up to <see cref="MaxDocuments"/> Markdown documents, each all-or-nothing
/// (one revision transaction), each refused on its own when invalid or owned by a team the caller may
/// not write. Cross-references between the documents of one import resolve against each other.
/// </summary>
internal sealed class ComponentImport(ComponentDocuments catalog, IndexProjection projection, MarkdownTemplate markdown, CatalogOptions options)
{
    public const int MaxDocuments = 500;
    private const int Parallelism = 8;
    private const int AnnounceBatch = 100;

    public async Task<IReadOnlyList<ImportResult>> ImportAsync(ImportRequest request, CatalogUser user, CancellationToken ct = default)
    {
        var documents = request.Documents ?? throw new ValidationException("documents", "Send 'documents': [{path, markdown}].");
        if (documents.Count is 0 or > MaxDocuments)
        {
            throw new ValidationException("documents", $"Send 1 to {MaxDocuments} documents per import; split larger folders.");
        }

        var parsed = documents.Select(Parse).ToArray();
        var duplicates = parsed.Where(p => p.Name is not null).GroupBy(p => p.Name!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var names = parsed.Where(p => p.Errors is null && p.Name is not null).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);

        var results = new ImportResult[parsed.Length];
        var pending = new PendingWrite?[parsed.Length];
        // A name this instance's index does not know is prepared as a create without reading its head: most of an
        // import's documents are new, and a point read is the costliest step of a write on a large table.
        var known = await projection.KnownNamesAsync(ct);
        var optimistic = new bool[parsed.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, parsed.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var p = parsed[i];
            if (p.Name is not null && duplicates.Contains(p.Name))
            {
                results[i] = new(p.Path, p.Name, "invalid", null, Error("name", $"'{p.Name}' is named by more than one document of this import."), null);
                return;
            }
            if (p.Errors is not null || p.Document is null)
            {
                results[i] = new(p.Path, p.Name, "invalid", null, p.Errors, null);
                return;
            }
            optimistic[i] = !known(p.Name!);
            results[i] = await OutcomeAsync(p, () => DecideAsync(p, i, token, optimistic[i]));
        });

        // The decided writes are announced a transaction at a time (≤ 100 rows, one partition of the change log: well
        // inside the announcement's 1 s bound even on a busy storage), and each chunk commits before the next is announced.
        var writes = Enumerable.Range(0, parsed.Length).Where(i => pending[i] is not null).ToList();
        if (request.DryRun || writes.Count == 0)
        {
            return results;
        }
        foreach (var chunk in writes.Chunk(AnnounceBatch))
        {
            await projection.AnnounceAsync([.. chunk.Select(i => pending[i]!.Intent)], ct);
            await CommitAllAsync(chunk);
        }
        return results;

        Task CommitAllAsync(int[] chunk) => Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var decided = results[i];
            results[i] = await OutcomeAsync(parsed[i], async () =>
            {
                try
                {
                    var stored = await catalog.CommitAsync(pending[i]!, token, remember: false);
                    return decided with { Revision = stored.Document.Revision };
                }
                catch (ConflictException) when (optimistic[i])
                {
                    // Storage has a head the index did not know (a deleted document, another instance's create):
                    // nothing was written; decide again from the head, announce and commit that.
                    var again = await DecideAsync(parsed[i], i, token, assumeAbsent: false);
                    if (pending[i] is not { } retry || again.Status == "unchanged")
                    {
                        return again;
                    }
                    await projection.AnnounceAsync([retry.Intent], token);
                    var stored = await catalog.CommitAsync(retry, token, remember: false);
                    return again with { Revision = stored.Document.Revision };
                }
            }, decided.Score);
        });

        async Task<ImportResult> DecideAsync(Parsed p, int i, CancellationToken token, bool assumeAbsent)
        {
            var (status, write) = await catalog.PrepareImportAsync(new DocumentDraft(p.Document!, p.Findings), names, user, token, assumeAbsent);
            pending[i] = status == "unchanged" ? null : write;
            return new(p.Path, p.Name, status, write.Write.Entry.Score, null, null);
        }
    }

    /// <summary>A document's step, with the refusals that concern that document alone turned into its status.</summary>
    private static async Task<ImportResult> OutcomeAsync(Parsed p, Func<Task<ImportResult>> step, int? score = null)
    {
        try
        {
            return await step();
        }
        catch (ValidationException e)
        {
            return new(p.Path, p.Name, "invalid", score, e.Errors, null);
        }
        catch (ForbiddenException e)
        {
            return new(p.Path, p.Name, "forbidden", score, Error("owner", e.Message), null);
        }
        catch (Exception e) when (e is ConflictException or PreconditionFailedException or PayloadTooLargeException)
        {
            return new(p.Path, p.Name, "invalid", score, Error("document", e.Message), null);
        }
    }

    private Parsed Parse(ImportDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.Markdown))
        {
            return new(document.Path, null, null, [], Error("markdown", "The document is empty."));
        }
        if (System.Text.Encoding.UTF8.GetByteCount(document.Markdown) > options.MaxBodyBytes)
        {
            return new(document.Path, null, null, [], Error("markdown", $"The document is larger than {options.MaxBodyBytes} bytes."));
        }

        try
        {
            var result = markdown.Parse(document.Markdown);
            var doc = result.Document;
            var name = Names.NameOf(doc);
            var errors = result.Findings.Where(f => f.Severity == FindingSeverity.Error)
                .Concat(QualityRules.FromValidation(DocumentValidator.Validate(doc)))
                .GroupBy(f => f.Section, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray(), StringComparer.Ordinal);
            return new(document.Path, name, doc, result.Findings, errors.Count > 0 ? errors : null);
        }
        catch (ValidationException e)
        {
            return new(document.Path, null, null, [], e.Errors);
        }
    }

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    private sealed record Parsed(string? Path, string? Name, ComponentDocument? Document, IReadOnlyList<Finding> Findings, IReadOnlyDictionary<string, string[]>? Errors);
}
