using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComponentCatalog.Catalog;
using Spectre.Console;

namespace ComponentCatalog.Cli;

/// <summary>
/// The <c>catalog</c> command line: <c>lint</c> (offline), <c>push</c>, <c>get</c>, <c>search</c>. Every failure is
/// one line on stderr with exit code 2 (1 for documents with problems); never a stack trace.
/// </summary>
internal static class CatalogCli
{
    private static readonly int MaxDocumentBytes = new CatalogOptions().MaxBodyBytes;

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        var root = Build(env);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                env.Error.WriteLine($"catalog: {error.Message}");
            }
            env.Error.WriteLine("Run 'catalog --help' for usage.");
            return ExitCodes.Failed;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            foreach (var line in e.Message.Split(Environment.NewLine))
            {
                env.Error.WriteLine($"catalog: {line}");
            }
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            env.Error.WriteLine("catalog: cancelled.");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            env.Error.WriteLine($"catalog: unexpected {e.GetType().Name}: {e.Message.Split('\n', 2)[0]}");
            return ExitCodes.Failed;
        }
    }

    private static RootCommand Build(CliEnvironment env)
    {
        var url = new Option<string?>("--url") { Description = $"The catalog's base URL (default: ${CatalogConnection.UrlSetting}, else {CatalogConnection.DefaultUrl}).", Recursive = true };
        var azureAuth = new Option<bool>("--azure-auth") { Description = $"Sign in with Entra ID (DefaultAzureCredential, scope ${CatalogConnection.ScopeSetting}) even for a local catalog.", Recursive = true };
        var root = new RootCommand("Lint component docs offline and publish them to the Component Catalog.") { url, azureAuth };
        root.Add(Lint(env));
        root.Add(Push(env, url, azureAuth));
        root.Add(Get(env, url, azureAuth));
        root.Add(Search(env, url, azureAuth));
        return root;
    }

    private static Argument<string[]> Paths() => new("paths") { Description = "Markdown files or folders (searched for *.md).", Arity = ArgumentArity.OneOrMore };

    private static Command Lint(CliEnvironment env)
    {
        var paths = Paths();
        var format = new Option<string>("--format", "-f") { Description = "text, json or sarif (SARIF 2.1.0 for code scanning).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var minScore = new Option<int>("--min-score") { Description = "Fail (exit 1) when a document scores below this (0–100)." };
        minScore.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 100) r.AddError("--min-score must be between 0 and 100.");
        });
        var command = new Command("lint", "Check documents against the template and the quality rules, offline: the findings and score POST /api/validate gives. Exit 0 clean, 1 an error finding or a score below --min-score, 2 bad input.")
        {
            paths, format, minScore,
        };
        command.SetAction(parse =>
        {
            var files = MarkdownSources.Read(parse.GetRequiredValue(paths), env.WorkingDirectory, MaxDocumentBytes);
            var linted = Linter.Lint(files, env.Clock.GetUtcNow(), new CatalogOptions().StaleAfterDays);
            LintReport.Write(env.Out, parse.GetRequiredValue(format), linted, parse.GetValue(minScore));
            return LintReport.ExitCode(linted, parse.GetValue(minScore));
        });
        return command;
    }

    private static Command Push(CliEnvironment env, Option<string?> url, Option<bool> azureAuth)
    {
        var paths = Paths();
        var dryRun = new Option<bool>("--dry-run") { Description = "Check what would change; store nothing." };
        var batchSize = new Option<int>("--batch-size") { Description = $"Documents per POST /api/import (1–{ComponentImport.MaxDocuments}).", DefaultValueFactory = _ => 100 };
        batchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > ComponentImport.MaxDocuments) r.AddError($"--batch-size must be between 1 and {ComponentImport.MaxDocuments}.");
        });
        var command = new Command("push", "Import documents into the catalog (POST /api/import in batches). Exit 1 when any is invalid or forbidden.") { paths, dryRun, batchSize };
        command.SetAction(async (parse, ct) =>
        {
            var files = MarkdownSources.Read(parse.GetRequiredValue(paths), env.WorkingDirectory, MaxDocumentBytes);
            using var client = new CatalogClient(CatalogConnection.Resolve(env, parse.GetValue(url), parse.GetValue(azureAuth)), env);
            return await PushCommand.RunAsync(env, client, files, parse.GetValue(dryRun), parse.GetValue(batchSize), ct);
        });
        return command;
    }

    private static Command Get(CliEnvironment env, Option<string?> url, Option<bool> azureAuth)
    {
        var name = new Argument<string>("name") { Description = "The component's name." };
        var markdown = new Option<bool>("--markdown") { Description = "Print the document as Markdown in the template's format (default JSON)." };
        var command = new Command("get", "Print one document.") { name, markdown };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new CatalogClient(CatalogConnection.Resolve(env, parse.GetValue(url), parse.GetValue(azureAuth)), env);
            var wanted = parse.GetRequiredValue(name);
            var body = await client.GetAsync(wanted, parse.GetValue(markdown), ct)
                ?? throw new CliException($"No component named '{wanted}' in the catalog at {client.BaseUrl}.", ExitCodes.Problems);
            env.Out.Write(parse.GetValue(markdown) ? body : JsonNode.Parse(body)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Search(CliEnvironment env, Option<string?> url, Option<bool> azureAuth)
    {
        var query = new Argument<string>("query") { Description = "Words to search for." };
        var limit = new Option<int>("--limit") { Description = "At most this many results (1–200).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 200) r.AddError("--limit must be between 1 and 200.");
        });
        var command = new Command("search", "Search the catalog: name, title, owner and score of each match.") { query, limit };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new CatalogClient(CatalogConnection.Resolve(env, parse.GetValue(url), parse.GetValue(azureAuth)), env);
            var answer = await client.SearchAsync(parse.GetRequiredValue(query), parse.GetValue(limit), ct);
            var items = (answer["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (items.Count == 0)
            {
                env.Out.WriteLine("No matches.");
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("name", "title", "owner", "score");
            foreach (var item in items)
            {
                table.AddRow(Cell(item["name"]), Cell(item["title"]), Cell(item["owner"]), Cell(item["score"]));
            }
            PushCommand.Console(env).Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Markup Cell(JsonNode? value) => new(Markup.Escape(value?.ToString() ?? ""));
}
