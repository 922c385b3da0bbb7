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

    /// <summary>The index as its stored snapshot is written: <see cref="CatalogIndex.Export"/>, gzip'd (fastest).</summary>
    public static byte[] Snapshot(CatalogIndex index)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(gzip, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            index.Export(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>A fresh index from <see cref="Snapshot"/>'s bytes (gunzip + <see cref="CatalogIndex.Import"/>).</summary>
    public static CatalogIndex Restore(byte[] snapshot)
    {
        var restored = new CatalogIndex();
        using var reader = new BinaryReader(new GZipStream(new MemoryStream(snapshot), CompressionMode.Decompress), System.Text.Encoding.UTF8);
        restored.Import(reader);
        return restored;
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
        var loaded = await new IndexStore(tables).LoadAllAsync();
        report.Add("index load", $"IndexStore.LoadAllAsync: {loaded.Count:N0} entries (scan + gunzip + parse)", watch.Elapsed.TotalMilliseconds, "ms");
    }

    /// <summary>
    /// <c>--index-memory N</c>: the index built in process from N entries shaped like the synthetic documents'
    /// (1,000 parsed for real, then repeated under new names with each document's own marker word, so every
    /// size has the same words per document), with GC heap bytes per document and the build time.
    /// </summary>
    public static void RunMemory(Report report, Action<string> progress, int size)
    {
        var empty = GC.GetTotalMemory(forceFullCollection: true);
        progress($"Parsing {Math.Min(size, 1_000):N0} documents for their entries");
        SyntheticCorpus? corpus = new SyntheticCorpus(size);
        var terms = corpus.AverageTerms;

        progress($"Building the index of {size:N0} entries");
        var watch = Stopwatch.StartNew();
        CatalogIndex? index = new CatalogIndex();
        for (var i = 0; i < size; i++) index.Upsert(corpus.Entry(i));
        index.TrimExcess();
        var build = watch.Elapsed.TotalMilliseconds;
        corpus = null;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perDocument = (after - empty) / (double)size;
        report.Add("index memory", $"{size:N0} documents, {terms:0} distinct words each: GC heap per document", perDocument, "bytes",
            extra: $"{(after - empty) / 1024.0 / 1024:0} MiB in all, {perDocument / terms:0.0} bytes a word-in-document");
        report.Add("index memory", $"build from {size:N0} parsed entries", build, "ms", extra: $"{build * 1000 / size:0} µs a document");
        report.Add("index memory", "process working set after the build", Environment.WorkingSet / 1024.0 / 1024, "MiB");
        watch.Restart();
        var hits = index.Search(new SearchQuery { Q = Synthetic.Word(11) }, null, 20, DateTimeOffset.MinValue).Items.Count;
        report.Add("index memory", $"one-word search over {size:N0} ({hits} hits shown)", watch.Elapsed.TotalMilliseconds, "ms");

        // The snapshot a new instance starts from: its size and the time to restore it in process (storage aside).
        watch.Restart();
        var snapshot = Snapshot(index);
        var export = watch.Elapsed.TotalMilliseconds;
        report.Add("index snapshot", $"{size:N0} documents: size gzip'd", snapshot.Length / 1024.0 / 1024, "MiB", extra: $"{snapshot.Length / (double)size:0} bytes a document, written in {export:0} ms");
        GC.KeepAlive(index);
        index = null;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        watch.Restart();
        var restored = Restore(snapshot);
        report.Add("index snapshot", $"{size:N0} documents: restore in process (gunzip + import)", watch.Elapsed.TotalMilliseconds, "ms", extra: $"{restored.Count:N0} documents");
    }
}
