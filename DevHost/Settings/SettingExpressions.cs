using System.Text.RegularExpressions;

namespace DevHost.Settings;

/// <summary>Resolves <c>%Name%</c> tokens from app settings, like the WebJobs name resolver's ResolveWholeString.</summary>
internal static partial class SettingExpressions
{
    public static string Resolve(string expression, Func<string, string?> settings) =>
        Token().Replace(expression, match =>
        {
            var name = match.Groups["name"].Value;
            return settings(name) ?? throw new InvalidOperationException($"'%{name}%' does not resolve: there is no app setting '{name}'.");
        });

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex Token();
}
