using System.Reflection;

namespace DevHost.Cli;

/// <summary>The dev host's command line: <c>[--port N] [--in-memory | --data DIR] [--no-build] [--no-seed] [--configuration C] [--verbose]</c>.</summary>
internal sealed record DevHostOptions
{
    public const int DefaultPort = 7071;

    public int Port { get; init; } = DefaultPort;

    public bool InMemory { get; init; }

    /// <summary>Where Azurite persists; null means the default <c>.data/azurite</c> under the repository root.</summary>
    public string? DataDirectory { get; init; }

    public bool NoBuild { get; init; }

    /// <summary>
    /// The configuration the dev host itself was built with (<c>dotnet run -c Release --project DevHost</c> builds it
    /// Release), so the app is built and run in the configuration the user asked for; <c>-c</c> after <c>--</c> overrides.
    /// </summary>
    public static string DefaultConfiguration { get; } =
        typeof(DevHostOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } built ? built : "Debug";

    public string Configuration { get; init; } = DefaultConfiguration;

    /// <summary>Do not load docs/components and docs/examples into empty storage.</summary>
    public bool NoSeed { get; init; }

    /// <summary>Show Debug and Trace logs of the worker and the host too.</summary>
    public bool Verbose { get; init; }

    public bool Help { get; init; }

    public const string Usage = """
        Usage: dotnet run --project DevHost -- [options]
               dotnet run --project DevHost -- token --role ROLE [--role ROLE] [--team TEAM] [--sub NAME] [--minutes N]

        Options:
          --port N                 public HTTP port on 127.0.0.1 (default 7071)
          --in-memory              run Azurite without persistence
          --data DIR               Azurite data folder (default .data/azurite under the repository root)
          --no-build               do not run 'dotnet build FunctionsApp' first
          --no-seed                start with empty storage (by default, empty storage gets the sample
                                   documents of docs/components and docs/examples)
          -c, --configuration C    configuration of the app to build and run (default: the dev host's own,
                                   so 'dotnet run -c Release --project DevHost' runs a Release app)
          --verbose                show Debug/Trace logs of the worker and the host
          -h, --help               show this text

        Environment variables pass through to the worker and win over local.settings.json Values.
        """;

    /// <summary>Parses the arguments; on a usage error returns null and the reason.</summary>
    public static (DevHostOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new DevHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--port":
                    if (!int.TryParse(Next(), out var port) || port is < 1 or > 65535)
                    {
                        return (null, "--port needs a number between 1 and 65535.");
                    }
                    options = options with { Port = port };
                    break;
                case "--in-memory":
                    options = options with { InMemory = true };
                    break;
                case "--data":
                    if (Next() is not { Length: > 0 } data)
                    {
                        return (null, "--data needs a folder.");
                    }
                    options = options with { DataDirectory = data };
                    break;
                case "--no-build":
                    options = options with { NoBuild = true };
                    break;
                case "--no-seed":
                    options = options with { NoSeed = true };
                    break;
                case "-c" or "--configuration":
                    if (Next() is not { Length: > 0 } configuration)
                    {
                        return (null, $"{arg} needs a configuration name, e.g. Debug or Release.");
                    }
                    options = options with { Configuration = configuration };
                    break;
                case "--verbose":
                    options = options with { Verbose = true };
                    break;
                case "-h" or "--help":
                    options = options with { Help = true };
                    break;
                default:
                    return (null, $"Unknown option '{arg}'.");
            }
        }

        if (options.InMemory && options.DataDirectory is not null)
        {
            return (null, "--in-memory and --data exclude each other.");
        }
        return (options, null);
    }

    /// <summary>The Azurite folder to use, or null for in-memory storage.</summary>
    public string? ResolveDataDirectory(string repoRoot) =>
        InMemory ? null : Path.GetFullPath(DataDirectory ?? Path.Combine(repoRoot, ".data", "azurite"));
}
