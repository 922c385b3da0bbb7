namespace DevHost.Cli;

/// <summary>The <c>token</c> sub-command: <c>--role R [--role R] [--team T] [--sub S] [--minutes N]</c>.</summary>
internal static class TokenOptions
{
    public static (Tokens.DevTokenRequest? Request, string? Error) Parse(IReadOnlyList<string> args)
    {
        var roles = new List<string>();
        var teams = new List<string>();
        var request = new Tokens.DevTokenRequest();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Count ? args[++i] : null;
            if (value is not { Length: > 0 })
            {
                return (null, $"{arg} needs a value.");
            }
            switch (arg)
            {
                case "--role":
                    roles.Add(value);
                    break;
                case "--team":
                    teams.Add(value);
                    break;
                case "--sub":
                    request = request with { Subject = value };
                    break;
                case "--minutes":
                    if (!int.TryParse(value, out var minutes) || minutes < 1)
                    {
                        return (null, "--minutes needs a positive number.");
                    }
                    request = request with { Lifetime = TimeSpan.FromMinutes(minutes) };
                    break;
                default:
                    return (null, $"Unknown token option '{arg}'.");
            }
        }

        if (roles.Count == 0)
        {
            return (null, "token needs at least one --role (Catalog.Reader, Catalog.Writer or Catalog.Admin).");
        }
        return (request with { Roles = roles, Teams = teams }, null);
    }
}
