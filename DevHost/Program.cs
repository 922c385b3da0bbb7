using DevHost;
using DevHost.Cli;

// The dev host: a local stand-in for the Azure Functions host (see README.md).
//   token ...        -> Cli/TokenCommand   (a local JWT)
//   [options]        -> DevHostApp         (build, Azurite, worker + handshake, HTTP, timers)
if (args is ["token", .. var tokenArgs])
{
    return TokenCommand.Run(tokenArgs);
}

var (options, error) = DevHostOptions.Parse(args);
if (options is null || options.Help)
{
    (options is null ? Console.Error : Console.Out).WriteLine(error is null ? DevHostOptions.Usage : $"{error}\n\n{DevHostOptions.Usage}");
    return options is null ? ExitCodes.Usage : 0;
}

return await DevHostApp.RunAsync(options);
