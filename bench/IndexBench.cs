using System.Diagnostics;
using System.IO.Compression;
using Azure.Data.Tables;
using ComponentCatalog.Search;
using ComponentCatalog.Storage;
using DevHost;

namespace Bench;

/// <summary>
/// Issue 19, items 4–5: where the index's load time and memory go, in process (no dev host).
/// <c>--index-load N</c> seeds N generated documents into a fresh Azurite and times each stage of the load
/// separately (the scan of the heads, decompressing, parsing the entries, building the index);
/// <c>--index-memory N</c> builds the index from N synthetic entries and reports GC heap bytes per document.
/// </summary>
internal static class IndexBench
{
    public static int Size(string[] args, string flag, int fallback)
    {
        var at = Array.IndexOf(args, flag);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var n) ? n : fallback;
    }

    /// <summary>The entry of synthetic document <paramref name="i"/> of <paramref name="total"/>, as a write derives it.</summary>
    public static IndexEntry Entry(ComponentCatalog.Markdown.MarkdownTemplate template, int i, int total, DateTimeOffset now)
    {
        var document = template.Parse(Synthetic.Markdown(i, total)).Document with { Revision = 1, CreatedAt = now, UpdatedAt = now, UpdatedBy = "bench" };
        return IndexEntry.From(document, ComponentCatalog.Quality.QualityRules.Evaluate(document, _ => true, now.AddDays(-180)).Score);
    }


    /// <summary>Codecs compared for the snapshot parts (built into .NET: no package).</summary>
    private static IEnumerable<(string Name, Func<byte[], byte[]> Compress, Action<byte[]> Decompress)> Codecs()
    {
        foreach (var level in new[] { CompressionLevel.Fastest, CompressionLevel.Optimal })
        {
            yield return ($"deflate {level}", raw => Pack(raw, s => new DeflateStream(s, level)), packed => Unpack(new DeflateStream(new MemoryStream(packed), CompressionMode.Decompress)));
            yield return ($"gzip {level}", raw => Pack(raw, s => new GZipStream(s, level)), packed => Unpack(new GZipStream(new MemoryStream(packed), CompressionMode.Decompress)));
        }
        foreach (var quality in new[] { 1, 4 })
        {
            yield return ($"brotli q{quality}", raw =>
            {
                using var encoder = new BrotliEncoder(quality, 22);
                var output = new byte[BrotliEncoder.GetMaxCompressedLength(raw.Length)];
                encoder.Compress(raw, output, out _, out var written, isFinalBlock: true);
                return output[..written];
            }, packed => Unpack(new BrotliStream(new MemoryStream(packed), CompressionMode.Decompress)));
        }
        yield return ("none", raw => raw, _ => { });
    }

    private static byte[] Pack(byte[] raw, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output)) stream.Write(raw);
        return output.ToArray();
    }

    private static void Unpack(Stream stream)
    {
        using (stream) stream.CopyTo(Stream.Null);
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary><c>--index-load N</c>: the stages of a full index load from Azurite, each timed on its own.</summary>
    public static async Task RunLoadAsync(Report report, Action<string> progress, int size)
    {
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        progress("Starting Azurite");
        await using var azurite = await AzuriteProcess.StartAsync(dataDirectory: null);
        progress($"Seeding {size:N0} documents directly");
        var (tables, _) = await ReadsBench.SeedAsync(azurite.ConnectionString, size, i => Synthetic.Markdown(i, size), progress: progress);
        var table = tables.Components;
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ComponentStore.HeadKey} and Deleted eq {false}");

        progress("Scan stages");
        // 1. The scan as the load runs it: the index columns of every live head, nothing decoded.
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "Revision", "Deleted", "Purging", "WriteId", IndexStore.SummaryColumn]))
        {
            bytes += row.GetBinary(IndexStore.SummaryColumn)?.Length ?? 0;
            rows++;
        }
        var scan = watch.Elapsed.TotalMilliseconds;
        report.Add("index load", $"scan: {rows:N0} heads, index columns only ({bytes / (double)rows / 1024:0.0} KB gzip'd each)", scan, "ms");

        // 2. The same scan with only the key column: what Azurite costs per row regardless of the payload.
        watch.Restart();
        var keys = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey"])) keys++;
        report.Add("index load", $"scan: {keys:N0} heads, key column only", watch.Elapsed.TotalMilliseconds, "ms");

        // 3. Decompress and parse the stored entries (in memory, no storage).
        var stored = new List<byte[]>(rows);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: [IndexStore.SummaryColumn])) stored.Add(row.GetBinary(IndexStore.SummaryColumn)!);
        watch.Restart();
        var json = stored.Select(Gunzip).ToList();
        var gunzip = watch.Elapsed.TotalMilliseconds;
        report.Add("index load", $"gunzip {stored.Count:N0} entries ({json.Sum(j => (long)j.Length) / (double)json.Count / 1024:0.0} KB JSON each)", gunzip, "ms");
        watch.Restart();
        var entries = json.Select(j => System.Text.Json.JsonSerializer.Deserialize<IndexEntry>(j, ComponentCatalog.Model.CatalogJson.Options)!).ToList();
        report.Add("index load", $"parse {entries.Count:N0} entries (JSON → IndexEntry)", watch.Elapsed.TotalMilliseconds, "ms");

        // 4. Build the index from parsed entries.
        watch.Restart();
        var index = new CatalogIndex();
        foreach (var entry in entries) index.Upsert(entry);
        index.TrimExcess();
        report.Add("index load", $"build the index from {entries.Count:N0} entries", watch.Elapsed.TotalMilliseconds, "ms");

        // 5. The whole load as an instance runs it.
        watch.Restart();
        var loaded = new List<IndexEntry>();
        await new IndexStore(tables).LoadAllAsync(loaded.Add);
        report.Add("index load", $"IndexStore.LoadAllAsync: {loaded.Count:N0} entries (scan + gunzip + parse)", watch.Elapsed.TotalMilliseconds, "ms");

        // 6. The scan load of a fresh instance (no snapshot) into its index, and the process's heap growth after it:
        // the index and whatever the load left behind (compare `--index-memory N --pool N` for the index alone).
        stored = null!;
        json = null!;
        entries = null!;
        loaded = null!;
        index = null;
        var catalogOptions = new ComponentCatalog.Catalog.CatalogOptions();
        var search = new ComponentSearch(new IndexStore(tables), new CatalogIndex(), new PagingToken(new byte[32]), TimeProvider.System, catalogOptions,
            new ComponentCatalog.Catalog.DocumentCache(new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()), catalogOptions),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ComponentSearch>.Instance);
        watch.Restart();
        await search.EnsureCurrentAsync();
        var load = watch.Elapsed.TotalMilliseconds;
        var afterScan = GC.GetTotalMemory(forceFullCollection: true);
        report.Add("index load", $"a fresh instance's scan load of {rows:N0} entries (no snapshot)", load, "ms",
            extra: $"GC heap of the process then {(afterScan - empty) / (double)rows:0} B a document above its start");
        GC.KeepAlive(search);
    }

    /// <summary>
    /// <c>--index-memory N</c>: the index built in process from N entries shaped like the synthetic documents'
    /// (1,000 parsed for real, then repeated under new names with each document's own marker word, so every
    /// size has the same words per document), with GC heap bytes per document and the build time.
    /// </summary>
    public static async Task RunMemoryAsync(Report report, Action<string> progress, int size, string? azurite = null, bool codecs = false, string? configuration = null, int pool = 1_000)
    {
        var template = new ComponentCatalog.Markdown.MarkdownTemplate();
        var now = DateTimeOffset.UtcNow;
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        var poolSize = Math.Min(size, pool);
        progress($"Parsing {poolSize:N0} documents for their entries");
        var parsed = Enumerable.Range(0, poolSize).Select(i => Entry(template, i, size, now)).ToArray();
        var terms = parsed.Average(e => e.Terms.Count);
        var vocabulary = parsed.SelectMany(e => e.Terms.Keys).Distinct(StringComparer.Ordinal).Count();
        report.Add("index memory", $"{poolSize:N0} distinct documents parsed (repeated to {size:N0} with a marker word each): distinct words among them", vocabulary, "words");
        IndexEntry Make(int i)
        {
            var model = parsed[i % poolSize];
            if (i < poolSize) return model;
            var words = new Dictionary<string, float>(model.Terms, StringComparer.Ordinal);
            words.Remove(Synthetic.Marker(i % poolSize));
            words[Synthetic.Marker(i)] = 1;
            return model with { Name = Synthetic.Name(i), Title = $"Component {i:D6}", Terms = words };
        }

        progress($"Building the index of {size:N0} entries");
        var watch = Stopwatch.StartNew();
        CatalogIndex? index = new CatalogIndex();
        for (var i = 0; i < size; i++) index.Upsert(Make(i));
        index.TrimExcess();
        var build = watch.Elapsed.TotalMilliseconds;
        parsed = null!;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perDocument = (after - empty) / (double)size;
        report.Add("index memory", $"{size:N0} documents, {terms:0} distinct words each: GC heap per document", perDocument, "bytes",
            extra: $"{(after - empty) / 1024.0 / 1024:0} MiB in all, {perDocument / terms:0.0} bytes a word-in-document");
        foreach (var (part, bytes) in index.MemoryBreakdown()) report.Add("index memory", $"  {part}", bytes / (double)size, "a document");
        report.Add("index memory", $"build from {size:N0} parsed entries", build, "ms", extra: $"{build * 1000 / size:0} µs a document");
        report.Add("index memory", "process working set after the build", Environment.WorkingSet / 1024.0 / 1024, "MiB");
        watch.Restart();
        var hits = index.Search(new SearchQuery { Q = Synthetic.Word(11) }, null, 20, DateTimeOffset.MinValue).Items.Count;
        report.Add("index memory", $"one-word search over {size:N0} ({hits} hits shown)", watch.Elapsed.TotalMilliseconds, "ms");

        // The snapshot a new instance starts from: its size, codecs compared, and the restore in process (storage aside).
        watch.Restart();
        var (parts, eager) = index.Export();
        var export = watch.Elapsed.TotalMilliseconds;
        var raw = parts.Sum(p => (long)p.Length);
        report.Add("index snapshot", $"{size:N0} documents: export ({parts.Count} parts, {eager} eager)", export, "ms",
            extra: $"{raw / 1024.0 / 1024:0} MiB raw, eager {parts.Take(eager).Sum(p => (long)p.Length) / 1024.0 / 1024:0.0} MiB");
        if (codecs)
        {
            foreach (var (codec, compress, decompress) in Codecs())
            {
                watch.Restart();
                var packed = parts.Select(compress).ToList();
                var written = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                foreach (var part in packed) decompress(part);
                report.Add("index snapshot", $"  {codec}: decompress all parts, one thread", watch.Elapsed.TotalMilliseconds, "ms",
                    extra: $"{packed.Sum(p => (long)p.Length) / 1024.0 / 1024:0.0} MiB ({packed.Sum(p => (long)p.Length) / (double)size:0} B a document), compressed in {written:0} ms");
            }
        }
        watch.Restart();
        var compressed = new byte[parts.Count][];
        Parallel.For(0, parts.Count, p => compressed[p] = SnapshotCompression.Compress(parts[p]));
        var snapshotBytes = compressed.Sum(c => (long)c.Length);
        report.Add("index snapshot", $"{size:N0} documents: size as stored", snapshotBytes / 1024.0 / 1024, "MiB",
            extra: $"{snapshotBytes / (double)size:0} bytes a document, compressed in {watch.Elapsed.TotalMilliseconds:0} ms (parallel); eager {compressed.Take(eager).Sum(c => (long)c.Length) / 1024.0 / 1024:0.0} MiB");
        GC.KeepAlive(index);
        index = null;
        parts = null;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        // In process: the eager parts (decompress + import) → first answer; then a word's parts; then all the rest.
        watch.Restart();
        var decoded = new byte[compressed.Length][];
        Parallel.For(0, eager, p => decoded[p] = SnapshotCompression.Decompress(compressed[p]));
        var restored = new CatalogIndex();
        restored.Import(decoded[..eager], compressed.Length, p => compressed[p]);
        var ready = watch.Elapsed.TotalMilliseconds;
        var query = new SearchQuery { Q = Synthetic.Word(11) };
        foreach (var p in restored.MissingParts(query)) restored.AddPart(p, compressed[p]);
        hits = restored.Search(query, null, 20, DateTimeOffset.MinValue).Items.Count;
        var first = watch.Elapsed.TotalMilliseconds;
        var missing = restored.MissingParts();
        Parallel.ForEach(missing, p => restored.AddPart(p, compressed[p]));
        report.Add("index snapshot", $"{size:N0} documents: restore in process to the first one-word answer", first, "ms",
            extra: $"eager parts decoded and imported in {ready:0} ms; the word's parts then; the other {missing.Count} parts after: {watch.Elapsed.TotalMilliseconds - first:0} ms more");
        watch.Restart();
        for (var i = 0; i < 20; i++) restored.Search(new SearchQuery { Q = Synthetic.Word(11 + i) }, null, 20, DateTimeOffset.MinValue);
        report.Add("index snapshot", "one-word search over the restored index, mean of 20 words", watch.Elapsed.TotalMilliseconds / 20, "ms");
        report.Add("index snapshot", "process working set after the restore", Environment.WorkingSet / 1024.0 / 1024, "MiB");
        restored = null;
        decoded = [];
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        if (azurite is not null)
        {
            var options = new CatalogStorageOptions { ConnectionString = azurite, OperationTimeout = TimeSpan.FromSeconds(120) };
            var tables = new CatalogTables(StorageSetup.CreateServiceClient(options), options);
            var store = new IndexStore(tables);
            watch.Restart();
            await store.WriteSnapshotAsync(compressed, eager, DateTimeOffset.UtcNow, CatalogIndex.SnapshotFormat);
            report.Add("index snapshot", "write to Azurite (chunk rows 4 at a time, then the pointer)", watch.Elapsed.TotalMilliseconds, "ms");
            compressed = [];
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

            // A fresh instance's search component over that storage: its first search loads the snapshot.
            var catalogOptions = new ComponentCatalog.Catalog.CatalogOptions();
            var search = new ComponentSearch(store, new CatalogIndex(), new PagingToken(new byte[32]), TimeProvider.System, catalogOptions,
                new ComponentCatalog.Catalog.DocumentCache(new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions()), catalogOptions),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ComponentSearch>.Instance);
            watch.Restart();
            var (items, _) = await search.SearchAsync(new SearchQuery { Q = Synthetic.Word(12) }, null, 20);
            report.Add("index snapshot", "fresh instance in process, from Azurite: first one-word search", watch.Elapsed.TotalMilliseconds, "ms",
                extra: $"{items.Count} hits shown, from the snapshot: {search.LoadedFromSnapshot}");
            watch.Restart();
            (items, _) = await search.SearchAsync(new SearchQuery { Q = Synthetic.Word(13) + " " + Synthetic.Word(14) }, null, 20);
            report.Add("index snapshot", "  then a two-word search (other words: their parts read)", watch.Elapsed.TotalMilliseconds, "ms");
            search = null;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

            // Through the dev host: a brand-new worker over the storage that has the snapshot.
            if (configuration is not null)
            {
                progress("Fresh dev host over the storage with the snapshot");
                var environment = new Dictionary<string, string> { ["CatalogStorage"] = azurite, ["RateLimit__PermitsPerMinute"] = "1000000" };
                var sinceStart = Stopwatch.StartNew();
                await using var host = await DevHostProcess.StartAsync(configuration, environment, TimeSpan.FromSeconds(600));
                host.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                    DevHost.Tokens.DevTokens.Create(new DevHost.Tokens.DevTokenRequest { Roles = ["Catalog.Admin"], Teams = [.. Synthetic.Teams], Subject = "bench" }));
                watch.Restart();
                using (var response = await host.Client.GetAsync($"api/components?q={Synthetic.Word(15)}&limit=20"))
                {
                    await response.Content.CopyToAsync(Stream.Null);
                    var loaded = Measure.LogMessage(host, "Search index loaded");
                    report.Add("index snapshot", $"dev host: fresh worker's first one-word search at {size:N0} (HTTP {(int)response.StatusCode})", watch.Elapsed.TotalMilliseconds, "ms", target: 1500,
                        extra: (loaded is null ? "the worker logged no load" : $"the worker: {loaded}")
                            + $"; the load starts with the worker: host ready {host.FunctionsLoadedMs - host.WorkerStartedMs:0} ms and healthy {host.FirstOkMs - host.WorkerStartedMs:0} ms after it started");
                    report.Add("index snapshot", "dev host: from the worker's start to that first answer", sinceStart.Elapsed.TotalMilliseconds - host.WorkerStartedMs, "ms");
                }
                report.Add("memory", "dev host: worker RSS after the first search (eager parts + the word's)", host.WorkerRssMiB() ?? double.NaN, "MiB");
                // The other parts arrive in the background; a bounded wait for them (two-word searches keep it honest).
                watch.Restart();
                var samples = new List<double>();
                for (var i = 0; i < 40; i++)
                {
                    var one = Stopwatch.StartNew();
                    using var response = await host.Client.GetAsync($"api/components?q={Synthetic.Word(20 + i)}&limit=20");
                    await response.Content.CopyToAsync(Stream.Null);
                    samples.Add(one.Elapsed.TotalMilliseconds);
                    await Task.Delay(250);
                }
                samples.Sort();
                report.Add("index snapshot", "dev host: one-word searches over the next 10 s (other words), p50 / max", samples[samples.Count / 2], "ms", extra: $"max {samples[^1]:0} ms");
                var whole = Measure.LogMessage(host, "read to its last part");
                report.Add("memory", $"dev host: worker RSS with the whole index of {size:N0} loaded (after 10 s)", host.WorkerRssMiB() ?? double.NaN, "MiB", target: 600,
                    extra: whole ?? "the worker had not read every part");
            }
        }
    }
}
