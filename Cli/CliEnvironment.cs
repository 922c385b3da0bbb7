namespace ComponentCatalog.Cli;

/// <summary>
/// What a command may touch: its output streams, whether they are a terminal, the environment variables,
/// the clock and (in tests) the HTTP handler and the wait between retries.
/// </summary>
internal sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    bool IsTerminal,
    Func<string, string?> Variable,
    TimeProvider Clock,
    string WorkingDirectory)
{
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The Entra ID credential to use instead of <c>DefaultAzureCredential</c> (tests).</summary>
    public Azure.Core.TokenCredential? AzureCredential { get; init; }

    public static CliEnvironment FromProcess() => new(
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        Environment.GetEnvironmentVariable,
        TimeProvider.System,
        Environment.CurrentDirectory);
}

/// <summary>The exit codes: 0 clean, 1 the documents have problems, 2 the command could not do its job.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int Failed = 2;
}

/// <summary>A failure the user can act on: one line per problem, no stack trace, and its exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
