using System.Diagnostics;
using System.Text.Json.Nodes;
using ComponentCatalog.Catalog;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ComponentCatalog.Cli;

/// <summary>
/// <c>catalog push</c>: the files go to <c>POST /api/import</c> in batches (at most <see cref="ComponentImport.MaxDocuments"/>
/// documents and <see cref="MaxBatchBytes"/> a batch). A terminal shows a progress bar (done/total, rate, ETA);
/// redirected output gets one plain line per batch. Ends with a table of outcomes; exit 1 when any document
/// was invalid or forbidden.
/// </summary>
internal static class PushCommand
{
    public const int MaxBatchBytes = 16 * 1024 * 1024;
    public static readonly string[] Statuses = ["created", "updated", "unchanged", "invalid", "forbidden"];

    public static async Task<int> RunAsync(CliEnvironment env, CatalogClient client, IReadOnlyList<SourceFile> files, bool dryRun, int batchSize, CancellationToken ct)
    {
        var batches = Batches(files, batchSize).ToList();
        var results = new List<JsonObject>(files.Count);
        var console = Console(env);
        env.Out.WriteLine($"{(dryRun ? "Checking" : "Pushing")} {files.Count} document{(files.Count == 1 ? "" : "s")} to {client.BaseUrl} in {batches.Count} batch{(batches.Count == 1 ? "" : "es")}{(dryRun ? " (dry run: nothing is stored)" : "")}.");

        async Task Send(IReadOnlyList<SourceFile> batch)
        {
            var answer = await client.ImportAsync([.. batch.Select(f => new ImportDocument(f.Path, f.Text))], dryRun, ct);
            results.AddRange((answer["results"] as JsonArray ?? []).OfType<JsonObject>());
        }

        try
        {
            await SendAllAsync(env, console, batches, files.Count, Send);
        }
        catch (CliException e) when (results.Count > 0)
        {
            Summary(env.Out, console, results);
            throw new CliException($"{e.Message} ({results.Count} of {files.Count} documents were processed before that; the table above counts them.)", e.ExitCode);
        }

        Summary(env.Out, console, results);
        var failed = results.Count(r => (string?)r["status"] is "invalid" or "forbidden");
        return failed > 0 ? ExitCodes.Problems : ExitCodes.Ok;
    }

    private static async Task SendAllAsync(CliEnvironment env, IAnsiConsole console, List<IReadOnlyList<SourceFile>> batches, int total, Func<IReadOnlyList<SourceFile>, Task> send)
    {
        if (env.IsTerminal)
        {
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("documents", maxValue: total);
                    foreach (var batch in batches)
                    {
                        await send(batch);
                        task.Increment(batch.Count);
                    }
                });
        }
        else
        {
            var started = Stopwatch.GetTimestamp();
            var done = 0;
            foreach (var batch in batches)
            {
                await send(batch);
                done += batch.Count;
                env.Out.WriteLine($"[{100 * done / total,3}%] {Progress(done, total, Stopwatch.GetElapsedTime(started))}");
            }
        }
    }

    private static void Summary(TextWriter output, IAnsiConsole console, List<JsonObject> results)
    {
        var table = new Table().AddColumn("status").AddColumn(new TableColumn("documents").RightAligned());
        foreach (var status in Statuses)
        {
            table.AddRow(status, results.Count(r => (string?)r["status"] == status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var result in results.Where(r => (string?)r["status"] is "invalid" or "forbidden"))
        {
            var errors = (result["errors"] as JsonObject ?? []).SelectMany(e => (e.Value as JsonArray ?? []).Select(m => $"{e.Key}: {m}"));
            output.WriteLine($"{result["status"]}: {result["path"]} — {string.Join("; ", errors)}");
        }
    }

    private static IEnumerable<IReadOnlyList<SourceFile>> Batches(IReadOnlyList<SourceFile> files, int batchSize)
    {
        var batch = new List<SourceFile>();
        var bytes = 0L;
        foreach (var file in files)
        {
            var size = 2L * file.Text.Length + 256;
            if (batch.Count > 0 && (batch.Count >= batchSize || bytes + size > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(file);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Spectre.Console on the command's own output: colours and live display only on a terminal.</summary>
    internal static IAnsiConsole Console(CliEnvironment env) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(env.Out),
        Ansi = env.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = env.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = env.IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    });

    /// <summary>"120/400 docs · 230 docs/s · ETA 0:01", the rate over the whole run so far.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(Progress((int)task.Value, (int)task.MaxValue, task.ElapsedTime ?? TimeSpan.Zero));
    }

    /// <summary>Done/total, documents a second and the time left at that rate.</summary>
    internal static string Progress(int done, int total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return $"{done}/{total} docs · {rate:0} docs/s · ETA {eta:m\\:ss}";
    }
}
