using System.Diagnostics;
using System.IO.Compression;
using System.Runtime;
using ComponentCatalog.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bench;

/// <summary>
/// Issue 19 item 4 (ADR 0070): <c>--lucene N</c> indexes the same N synthetic documents (<see cref="SyntheticCorpus"/>) in our
/// <see cref="CatalogIndex"/> and in Lucene.NET 4.8 (same fields and weights, BM25Similarity, MMapDirectory on a temp dir),
/// one engine at a time in the same process, and compares build time, memory, snapshot size, cold open, query latency and
/// the top-10 overlap.
/// </summary>
internal static class LuceneBench
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const int QueriesPerKind = 300;
    private const int Warmup = 20;
    private const int Top = 20;

    /// <summary>The weights <see cref="IndexEntry.From"/> gives each part of a document, as Lucene fields and query boosts.</summary>
    private static readonly (string Field, float Boost)[] Fields =
        [("title", 3), ("name", 3), ("description", 2), ("tags", 2), ("refs", 1), ("body", 1), ("code", 0.5f)];

    /// <summary><see cref="TextTokenizer"/>'s stop words.</summary>
    private static readonly string[] StopWords =
        ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "the", "to", "with", "this", "that", "into", "via"];

    private sealed record Kind(string Label, string[] Queries, Func<string, Query> Lucene);

    private sealed class Side
    {
        public readonly Dictionary<string, double> Values = [];
        public readonly Dictionary<string, List<string>[]> TopTen = [];
    }

    /// <param name="only">"ours" or "lucene" to measure one engine only (the 1,000,000 simulation); null for both.</param>
    /// <param name="pool">
    /// Documents parsed for real (the rest repeat them). The top-10 overlap needs as many as <paramref name="size"/>: with
    /// repeats, a query's top ten are copies of one document with equal scores, so the overlap only says whether both
    /// engines chose the same best document.
    /// </param>
    public static async Task RunAsync(Report report, Action<string> progress, int size, string? only = null, int pool = 1_000)
    {
        progress($"Parsing {Math.Min(size, pool):N0} documents (the corpus of {size:N0})");
        var corpus = new SyntheticCorpus(size, pool);
        var analyzer = CreateAnalyzer();
        var kinds = Kinds(size, analyzer);
        Settle();

        var ours = new Side();
        if (only is null or "ours")
        {
            progress($"Ours: building CatalogIndex of {size:N0}");
            ours = RunOurs(corpus, kinds, progress);
            Settle();
        }
        var lucene = new Side();
        if (only is null or "lucene")
        {
            progress($"Lucene.NET: building the index of {size:N0}");
            lucene = RunLucene(corpus, kinds, analyzer, progress);
            Settle();
            progress("Lucene.NET: the hand-written part it would not replace (CatalogIndex without words)");
            RunKept(corpus, lucene);
        }

        var rows = new (string Key, string Unit)[]
        {
            ("build", "s"), ("build incl. tokenising every document (IndexEntry.From, extrapolated)", "s"), ("heap after build", "MiB"), ("heap per document", "bytes"), ("working set after build", "MiB"),
            ("snapshot / segment files", "MiB"), ("snapshot gzip'd", "MiB"), ("write snapshot", "ms"),
            ("cold open", "ms"), ("cold open + first query", "ms"), ("heap after open", "MiB"), ("working set after queries", "MiB"),
            ("force-merge to one segment", "s"),
            (KeptHeap, "MiB"), (KeptSnapshot, "MiB"), (KeptRestore, "ms"), ("load all files into RAMDirectory", "ms"), ("heap with RAMDirectory", "MiB"),
        }.Concat(kinds.SelectMany(k => new[] { ($"{k.Label}: p50", "ms"), ($"{k.Label}: p99", "ms"), ($"{k.Label}: results shown (avg, limit 20)", "") }))
         .ToArray();
        foreach (var (key, unit) in rows)
        {
            if (ours.Values.TryGetValue(key, out var o)) report.Add("ours", key, o, unit);
            if (lucene.Values.TryGetValue(key, out var l)) report.Add("lucene", key, l, unit);
        }
        foreach (var kind in kinds)
        {
            if (!ours.TopTen.TryGetValue(kind.Label, out var a) || !lucene.TopTen.TryGetValue(kind.Label, out var b)) continue;
            var overlap = a.Zip(b, (x, y) => Math.Max(x.Count, y.Count) == 0 ? 1.0 : x.Intersect(y).Count() / (double)Math.Max(x.Count, y.Count)).Average();
            var sameFirst = a.Zip(b, (x, y) => x.Count > 0 && y.Count > 0 && x[0] == y[0]).Count(s => s) / (double)a.Length;
            report.Add("top-10 overlap", kind.Label, overlap * 100, "%", extra: $"same first hit {sameFirst * 100:0} %");
        }

        Console.WriteLine();
        Console.WriteLine($"{corpus.PoolSize:N0} documents parsed, the rest repeat them");
        Console.WriteLine($"CatalogIndex vs Lucene.NET 4.8 ({typeof(IndexWriter).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion}), {size:N0} documents, {corpus.AverageTerms:0} distinct words each");
        Console.WriteLine($"{"measure",-62} {"ours",12} {"Lucene.NET",12} {"unit",-6} {"ours/Lucene",11}");
        foreach (var (key, unit) in rows)
        {
            var hasO = ours.Values.TryGetValue(key, out var o);
            var hasL = lucene.Values.TryGetValue(key, out var l);
            if (!hasO && !hasL) continue;
            string F(bool has, double v) => has ? v.ToString(v >= 100 ? "N0" : "0.00", System.Globalization.CultureInfo.InvariantCulture) : "—";
            Console.WriteLine($"{key,-62} {F(hasO, o),12} {F(hasL, l),12} {unit,-6} {(hasO && hasL && l > 0 ? (o / l).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : ""),11}");
        }
        await Task.CompletedTask;
    }

    private const string KeptHeap = "+ filters, names, graph kept hand-written: heap";
    private const string KeptSnapshot = "+ filters, names, graph kept hand-written: snapshot gzip'd";
    private const string KeptRestore = "+ filters, names, graph kept hand-written: restore";

    /// <summary>
    /// With Lucene for the words, the instance still keeps every entry's filter values, name order and edges
    /// (<see cref="CatalogIndex"/> with no words): its heap, snapshot and restore are Lucene's figures' companions.
    /// </summary>
    private static void RunKept(SyntheticCorpus corpus, Side side)
    {
        var empty = new Dictionary<string, float>();
        var heap0 = GC.GetTotalMemory(forceFullCollection: true);
        CatalogIndex? index = new CatalogIndex();
        for (var i = 0; i < corpus.Size; i++) index.Upsert(corpus.Entry(i) with { Terms = empty });
        index.TrimExcess();
        Settle();
        side.Values[KeptHeap] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / 1048576.0;
        var snapshot = Snapshot(index);
        side.Values[KeptSnapshot] = snapshot.Parts.Sum(part => (long)part.Length) / 1048576.0;
        index = null;
        Settle();
        var watch = Stopwatch.StartNew();
        var restored = Restore(snapshot);
        side.Values[KeptRestore] = watch.Elapsed.TotalMilliseconds;
        GC.KeepAlive(restored);
    }

    /// <summary>The same query strings for both engines, and how each kind is asked of Lucene.</summary>
    private static Kind[] Kinds(int size, Analyzer analyzer)
    {
        var vocabulary = Enumerable.Range(0, 3000).Select(Synthetic.Word).ToHashSet(StringComparer.Ordinal);
        string Typo(int k)
        {
            for (var j = k; ; j++)
            {
                var word = Synthetic.Word(j * 13);
                if (word.Length < 5 || word.EndsWith('s')) continue;
                var chars = word.ToCharArray();
                chars[word.Length / 2] = (char)('a' + (chars[word.Length / 2] - 'a' + 1) % 26);
                var typo = new string(chars);
                if (!vocabulary.Contains(typo)) return typo;
            }
        }
        string[] Make(Func<int, string> of) => [.. Enumerable.Range(0, QueriesPerKind + Warmup).Select(of)];
        Query Words(string q, Func<string, Query> perTerm)
        {
            var query = new BooleanQuery();
            foreach (var term in Analyze(analyzer, q)) query.Add(perTerm(term), Occur.MUST);
            return query;
        }
        return
        [
            new("one word", Make(k => Synthetic.Word(k * 37)), q => Words(q, Term)),
            new("two words (AND)", Make(k => $"{Synthetic.Word(k * 37)} {Synthetic.Word(k * 37 + 11)}"), q => Words(q, Term)),
            new("last-word prefix (4 letters)", Make(k => Synthetic.Word(k * 37)[..4]), q => Each(f => Prefix(f, q))),
            new("one typo (FuzzyQuery maxEdits 1)", Make(Typo), q => Each(f => new FuzzyQuery(new Term(f, q), 1))),
            new("rare word (a document's marker)", Make(k => Synthetic.Marker((int)((long)k * 7919 % size))), q => Words(q, Term)),
            // What our one-word query does: the word as typed, its completions and (5+ letters) words one edit away, typed first.
            new("one word as the app asks (exact + prefix + typo)", Make(k => Synthetic.Word(k * 37)), q =>
            {
                var query = new BooleanQuery { { Term(q), Occur.SHOULD }, { Each(f => Prefix(f, q)), Occur.SHOULD } };
                if (q.Length >= 5) query.Add(Each(f => new FuzzyQuery(new Term(f, q), 1)), Occur.SHOULD);
                query.Clauses[0].Query.Boost = 10;
                return query;
            }),
        ];
    }

    /// <summary>
    /// Completions of a prefix, scored by BM25 like ours (at most 64 words, as ours takes); Lucene's default rewrite scores
    /// every match the same, which ranks by document order.
    /// </summary>
    private static PrefixQuery Prefix(string field, string prefix) =>
        new(new Term(field, prefix)) { MultiTermRewriteMethod = new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(64) };

    /// <summary>One word in any field, each field with its weight.</summary>
    private static BooleanQuery Term(string term) => Each(f => new TermQuery(new Term(f, term)));

    private static BooleanQuery Each(Func<string, Query> make)
    {
        var query = new BooleanQuery();
        foreach (var (field, boost) in Fields)
        {
            var clause = make(field);
            clause.Boost = boost;
            query.Add(clause, Occur.SHOULD);
        }
        return query;
    }

    private static List<string> Analyze(Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream("body", text);
        var attribute = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(attribute.ToString());
        stream.End();
        return terms;
    }

    /// <summary>Our tokenizer's rules in Lucene's pieces: letters and digits, lower case, accents folded, stop words, 2–64 letters, plural fold.</summary>
    private static Analyzer CreateAnalyzer()
    {
        var stop = new CharArraySet(Version, StopWords, ignoreCase: false);
        return Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream stream = new LowerCaseFilter(Version, source);
            stream = new ASCIIFoldingFilter(stream);
            stream = new StopFilter(Version, stream, stop);
            stream = new LengthFilter(Version, stream, 2, 64);
            stream = new EnglishMinimalStemFilter(stream);
            return new TokenStreamComponents(source, stream);
        });
    }

    private static Side RunOurs(SyntheticCorpus corpus, Kind[] kinds, Action<string> progress)
    {
        var side = new Side();
        var heap0 = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        CatalogIndex? index = new CatalogIndex();
        for (var i = 0; i < corpus.Size; i++) index.Upsert(corpus.Entry(i));
        index.TrimExcess();
        side.Values["build"] = watch.Elapsed.TotalSeconds;
        // The entries are derived once per pool document and copied: add what tokenising every document would cost.
        side.Values["build incl. tokenising every document (IndexEntry.From, extrapolated)"] = watch.Elapsed.TotalSeconds + corpus.EntryMilliseconds * corpus.Size / 1000;
        Settle();
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heap0;
        side.Values["heap after build"] = heap / 1048576.0;
        side.Values["heap per document"] = heap / (double)corpus.Size;
        side.Values["working set after build"] = Environment.WorkingSet / 1048576.0;

        progress("Ours: snapshot");
        watch.Restart();
        var snapshot = Snapshot(index);
        side.Values["write snapshot"] = watch.Elapsed.TotalMilliseconds;
        side.Values["snapshot gzip'd"] = snapshot.Parts.Sum(part => (long)part.Length) / 1048576.0;
        index = null;
        Settle();

        progress("Ours: restore from the snapshot (cold open)");
        heap0 = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var restored = Restore(snapshot);
        side.Values["cold open"] = watch.Elapsed.TotalMilliseconds;
        restored.Search(new SearchQuery { Q = kinds[0].Queries[0] }, null, Top, DateTimeOffset.MinValue);
        side.Values["cold open + first query"] = watch.Elapsed.TotalMilliseconds;
        snapshot = ([], 0);
        Settle();
        side.Values["heap after open"] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / 1048576.0;

        foreach (var kind in kinds)
        {
            progress($"Ours: {kind.Label}");
            Time(side, kind, q => [.. restored.Search(new SearchQuery { Q = q }, null, Top, DateTimeOffset.MinValue).Items.Select(e => e.Name)]);
        }
        side.Values["working set after queries"] = Environment.WorkingSet / 1048576.0;
        GC.KeepAlive(restored);
        return side;
    }

    private static Side RunLucene(SyntheticCorpus corpus, Kind[] kinds, Analyzer analyzer, Action<string> progress)
    {
        var side = new Side();
        var path = Path.Combine(Path.GetTempPath(), $"catalog-lucene-{Environment.ProcessId}");
        if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        try
        {
            var heap0 = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            using (var directory = new MMapDirectory(new DirectoryInfo(path)))
            {
                var config = new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE, RAMBufferSizeMB = 128 };
                using var writer = new IndexWriter(directory, config);
                var text = new FieldType { IsIndexed = true, IsTokenized = true, IsStored = false, IndexOptions = IndexOptions.DOCS_AND_FREQS };
                text.Freeze();
                var id = new StringField("id", "", Field.Store.YES);
                var fields = Fields.Select(f => new Field(f.Field, "", text)).ToArray();
                var document = new Document { id };
                foreach (var field in fields) document.Add(field);
                for (var i = 0; i < corpus.Size; i++)
                {
                    var t = corpus.Text(i);
                    id.SetStringValue(t.Name);
                    string[] values = [t.Title, t.NameWords, t.Description, t.Tags, t.References, t.Body, t.Code];
                    for (var f = 0; f < fields.Length; f++) fields[f].SetStringValue(values[f]);
                    writer.AddDocument(document);
                    if ((i + 1) % 20_000 == 0) progress($"  Lucene.NET: {i + 1:N0} added");
                }
                writer.Commit();
                side.Values["build"] = watch.Elapsed.TotalSeconds;
                side.Values["build incl. tokenising every document (IndexEntry.From, extrapolated)"] = watch.Elapsed.TotalSeconds;
                Settle();
                side.Values["heap after build"] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / 1048576.0;
                side.Values["heap per document"] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / (double)corpus.Size;
                side.Values["working set after build"] = Environment.WorkingSet / 1048576.0;
                progress("Lucene.NET: ForceMerge(1)");
                watch.Restart();
                writer.ForceMerge(1);
                writer.Commit();
                side.Values["force-merge to one segment"] = watch.Elapsed.TotalSeconds;
            }
            Settle();
            var files = new DirectoryInfo(path).GetFiles();
            side.Values["snapshot / segment files"] = files.Sum(f => f.Length) / 1048576.0;
            watch.Restart();
            long gzipped;
            using (var counter = new CountingStream())
            {
                using (var gzip = new GZipStream(counter, CompressionLevel.Fastest, leaveOpen: true))
                {
                    foreach (var file in files)
                    {
                        using var input = file.OpenRead();
                        input.CopyTo(gzip);
                    }
                }
                gzipped = counter.Length;
            }
            side.Values["snapshot gzip'd"] = gzipped / 1048576.0;
            side.Values["write snapshot"] = watch.Elapsed.TotalMilliseconds;

            progress("Lucene.NET: open a fresh reader (cold open)");
            heap0 = GC.GetTotalMemory(forceFullCollection: true);
            watch.Restart();
            using (var directory = new MMapDirectory(new DirectoryInfo(path)))
            using (var reader = DirectoryReader.Open(directory))
            {
                var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
                side.Values["cold open"] = watch.Elapsed.TotalMilliseconds;
                searcher.Search(kinds[0].Lucene(kinds[0].Queries[0]), Top);
                side.Values["cold open + first query"] = watch.Elapsed.TotalMilliseconds;
                foreach (var kind in kinds)
                {
                    progress($"Lucene.NET: {kind.Label}");
                    Time(side, kind, q => [.. searcher.Search(kind.Lucene(q), Top).ScoreDocs.Select(d => searcher.Doc(d.Doc).Get("id"))]);
                }
                Settle();
                side.Values["heap after open"] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / 1048576.0;
                side.Values["working set after queries"] = Environment.WorkingSet / 1048576.0;
            }

            // The whole index in the heap, as ours is: a RAMDirectory copy of the files.
            Settle();
            heap0 = GC.GetTotalMemory(forceFullCollection: true);
            watch.Restart();
            using (var directory = new MMapDirectory(new DirectoryInfo(path)))
#pragma warning disable CS0618 // RAMDirectory is not for large indexes (its own docs); measured to show the heap cost.
            using (var ram = new RAMDirectory(directory, IOContext.DEFAULT))
#pragma warning restore CS0618
            using (var reader = DirectoryReader.Open(ram))
            {
                side.Values["load all files into RAMDirectory"] = watch.Elapsed.TotalMilliseconds;
                new IndexSearcher(reader).Search(kinds[0].Lucene(kinds[0].Queries[0]), Top);
                Settle();
                side.Values["heap with RAMDirectory"] = (GC.GetTotalMemory(forceFullCollection: true) - heap0) / 1048576.0;
            }
        }
        finally
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        return side;
    }

    /// <summary>Each kind's queries: <see cref="Warmup"/> untimed, then each timed; p50, p99, average hits shown and the top tens.</summary>
    private static void Time(Side side, Kind kind, Func<string, List<string>> search)
    {
        for (var i = 0; i < Warmup; i++) search(kind.Queries[i]);
        var samples = new List<double>(QueriesPerKind);
        var tops = new List<string>[QueriesPerKind];
        var hits = 0L;
        for (var i = 0; i < QueriesPerKind; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var names = search(kind.Queries[Warmup + i]);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            hits += names.Count;
            tops[i] = names.Take(10).ToList();
        }
        var latency = Latency.From(samples, 0);
        side.Values[$"{kind.Label}: p50"] = latency.P50;
        side.Values[$"{kind.Label}: p99"] = latency.P99;
        side.Values[$"{kind.Label}: results shown (avg, limit 20)"] = hits / (double)QueriesPerKind;
        side.TopTen[kind.Label] = tops;
    }

    private static void Settle()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>The snapshot as the reconcile job stores it: the exported parts, each compressed (format 2, lazy parts).</summary>
    private static (byte[][] Parts, int Eager) Snapshot(CatalogIndex index)
    {
        var (parts, eager) = index.Export();
        var compressed = new byte[parts.Count][];
        Parallel.For(0, parts.Count, p => compressed[p] = SnapshotCompression.Compress(parts[p]));
        return (compressed, eager);
    }

    /// <summary>A fresh index from every part of <see cref="Snapshot"/> (eager parts imported, then all the others).</summary>
    private static CatalogIndex Restore((byte[][] Parts, int Eager) snapshot)
    {
        var (parts, eager) = snapshot;
        var decoded = new byte[eager][];
        Parallel.For(0, eager, p => decoded[p] = SnapshotCompression.Decompress(parts[p]));
        var restored = new CatalogIndex();
        restored.Import(decoded, parts.Length, p => parts[p]);
        Parallel.ForEach(restored.MissingParts(), p => restored.AddPart(p, parts[p]));
        return restored;
    }

    /// <summary>Counts the bytes written to it and keeps none.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
