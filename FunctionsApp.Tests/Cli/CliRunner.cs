using ComponentCatalog.Cli;

namespace ComponentCatalog.Tests.Cli;

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the CLI through its entry point with captured, redirected output and only the variables given.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? variables, HttpMessageHandler? handler, params string[] args) =>
        RunAsync(workingDirectory, variables, handler, null, args);

    public static Task<CliResult> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string>? variables, HttpMessageHandler? handler, Azure.Core.TokenCredential? credential, params string[] args) =>
        RunAsync(workingDirectory, variables, handler, credential, terminal: false, args);

    public static async Task<CliResult> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string>? variables, HttpMessageHandler? handler, Azure.Core.TokenCredential? credential, bool terminal, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new CliEnvironment(output, error, IsTerminal: terminal, name => variables?.GetValueOrDefault(name), TimeProvider.System, workingDirectory) { Handler = handler, AzureCredential = credential };

        var code = await CatalogCli.RunAsync(args, env);

        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, null, args);
}

/// <summary>A scratch folder for one test, removed afterwards.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "catalog-cli-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    public string Write(string relative, string text) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string relative, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Answers requests from a script, in order, and keeps what was asked.</summary>
internal sealed class ScriptedHandler(params HttpResponseMessage[] answers) : HttpMessageHandler
{
    private readonly Queue<HttpResponseMessage> _answers = new(answers);

    public List<HttpRequestMessage> Requests { get; } = [];

    public static HttpResponseMessage Answer(System.Net.HttpStatusCode status, string json, int? retryAfterSeconds = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new(TimeSpan.FromSeconds(seconds));
        }
        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(_answers.Dequeue());
    }
}
