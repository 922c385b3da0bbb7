using System.Text.Json;
using ComponentCatalog.Model;
using ComponentCatalog.Search;

namespace Bench;

/// <summary>
/// The in-process corpus of <c>--index-memory</c> and <c>--lucene</c>: 1,000 synthetic documents (<see cref="Synthetic.Markdown"/>,
/// the generator <see cref="ReadsBench.SeedAsync"/> stores) parsed for real, then repeated under new names, each copy with its
/// own marker word, so every size has the same words per document and both engines index the same text.
/// </summary>
internal sealed class SyntheticCorpus
{
    private readonly IndexEntry[] _entries;
    private readonly TextFields[] _texts;

    public SyntheticCorpus(int size, int poolSize = 1_000)
    {
        Size = size;
        PoolSize = Math.Min(size, poolSize);
        var template = new ComponentCatalog.Markdown.MarkdownTemplate();
        var now = DateTimeOffset.UtcNow;
        var documents = Enumerable.Range(0, PoolSize)
            .Select(i => template.Parse(Synthetic.Markdown(i, size)).Document with { Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "bench" })
            .ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _entries = [.. documents.Select(d => IndexEntry.From(d, ComponentCatalog.Quality.QualityRules.Evaluate(d, _ => true, now.AddDays(-180)).Score))];
        EntryMilliseconds = watch.Elapsed.TotalMilliseconds / PoolSize;
        _texts = [.. documents.Select(TextFields.Of)];
        AverageTerms = _entries.Average(e => e.Terms.Count);
    }

    public int Size { get; }

    /// <summary>Time to derive one document's entry (tokenise every section, weigh the words), averaged over the parsed pool.</summary>
    public double EntryMilliseconds { get; }

    public int PoolSize { get; }

    /// <summary>Distinct words a document (the pool's average).</summary>
    public double AverageTerms { get; }

    /// <summary>Document <paramref name="i"/>'s index entry, as a write derives it (its pool document's words, its own name and marker).</summary>
    public IndexEntry Entry(int i)
    {
        var model = _entries[i % PoolSize];
        if (i < PoolSize) return model;
        var words = new Dictionary<string, float>(model.Terms, StringComparer.Ordinal);
        words.Remove(Synthetic.Marker(i % PoolSize));
        words[Synthetic.Marker(i)] = 1;
        return model with { Name = Synthetic.Name(i), Title = $"Component {i:D6}", Terms = words };
    }

    /// <summary>Document <paramref name="i"/>'s text by field, the same text <see cref="Entry"/>'s words come from.</summary>
    public TextFields Text(int i)
    {
        var model = _texts[i % PoolSize];
        return i < PoolSize ? model : model with
        {
            Name = Synthetic.Name(i),
            Body = model.Body.Replace(Synthetic.Marker(i % PoolSize), Synthetic.Marker(i), StringComparison.Ordinal),
        };
    }

    /// <summary>
    /// A document's text split the way <see cref="IndexEntry.From"/> weighs it: title 3, name 3, description 2, tags 2,
    /// library and module names 1 (on top of the body), every other string of every section 1 (Body), code 0.5.
    /// </summary>
    internal sealed record TextFields(string Name, string Title, string NameWords, string Description, string Tags, string References, string Body, string Code)
    {
        /// <summary>Top-level fields <see cref="IndexEntry.From"/> does not walk as prose (the same list).</summary>
        private static readonly HashSet<string> Metadata = new(StringComparer.Ordinal)
        {
            "name", "title", "description", "owner", "tags", "lifecycle", "reviewedAt", "revision", "createdAt", "updatedAt", "updatedBy",
        };

        public static TextFields Of(ComponentDocument d)
        {
            var body = new System.Text.StringBuilder();
            var code = new System.Text.StringBuilder();
            void Walk(JsonElement element, bool isCode)
            {
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        (isCode ? code : body).Append(element.GetString()).Append('\n');
                        break;
                    case JsonValueKind.Array:
                        foreach (var item in element.EnumerateArray()) Walk(item, isCode);
                        break;
                    case JsonValueKind.Object:
                        foreach (var property in element.EnumerateObject())
                        {
                            if (property.Name != "language") Walk(property.Value, isCode || property.Name == "code");
                        }
                        break;
                }
            }
            foreach (var property in JsonSerializer.SerializeToElement(d, CatalogJson.Options).EnumerateObject())
            {
                if (!Metadata.Contains(property.Name)) Walk(property.Value, false);
            }
            var references = (d.Dependencies?.ExternalLibraries ?? EquatableList<NamedItem>.Empty)
                .Concat(d.Dependencies?.InternalModules ?? EquatableList<NamedItem>.Empty).Select(n => n.Name);
            return new TextFields(d.Name!, d.Title ?? "", d.Name!.Replace('-', ' '), d.Description ?? "", string.Join('\n', d.Tags ?? EquatableList<string>.Empty),
                string.Join('\n', references), body.ToString(), code.ToString());
        }
    }
}
