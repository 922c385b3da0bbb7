using DevHost.Tokens;

namespace DevHost.Cli;

/// <summary><c>token</c>: prints a signed local JWT to stdout; the signing key is never printed.</summary>
internal static class TokenCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var (request, error) = TokenOptions.Parse(args);
        if (request is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(DevHostOptions.Usage);
            return ExitCodes.Usage;
        }
        try
        {
            Console.Out.WriteLine(DevTokens.Create(request));
            return 0;
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return ExitCodes.StartupFailed;
        }
    }
}
