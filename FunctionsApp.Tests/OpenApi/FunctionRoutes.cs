using System.Reflection;
using System.Text.RegularExpressions;
using ComponentCatalog.Functions;
using Microsoft.Azure.Functions.Worker;

namespace ComponentCatalog.Tests.OpenApi;

/// <summary>An HTTP function of the app as the Functions host routes it: name, method, normalised URL path
/// (host.json's <c>routePrefix</c> is empty, so the route is the path: <c>/api/…</c> for the API, <c>/…</c> for pages).</summary>
internal sealed record FunctionRoute(string Name, string Method, string Path)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>Reads the app's HTTP functions from the FunctionsApp assembly ([Function] + [HttpTrigger]).</summary>
internal static partial class FunctionRoutes
{
    public static IReadOnlyList<FunctionRoute> All { get; } = Read(typeof(HealthFunctions).Assembly);

    /// <summary>The JSON API's functions (under <c>/api/</c>); the OpenAPI document describes exactly these.</summary>
    public static IReadOnlyList<FunctionRoute> Api { get; } = [.. All.Where(f => f.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))];

    public static IReadOnlyList<FunctionRoute> Read(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           where function is not null
           from parameter in method.GetParameters()
           let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
           where trigger is not null
           from verb in trigger.Methods ?? ["get", "post", "put", "patch", "delete", "head", "options"]
           select new FunctionRoute(function.Name, verb.ToUpperInvariant(), Normalize(trigger.Route ?? function.Name)),
    ];

    /// <summary>
    /// A route template as an OpenAPI path: <c>{revision:int}</c> → <c>{revision}</c>, <c>{id?}</c> and <c>{*rest}</c>
    /// → <c>{id}</c>, <c>{rest}</c>; a parameter constrained to one literal (<c>{scope:regex(^admin$)}</c>, the way
    /// round the host's reserved <c>admin</c> prefix) → that literal.
    /// </summary>
    public static string Normalize(string template) =>
        "/" + Parameter().Replace(template.Trim('/'), match =>
        {
            var name = match.Groups["name"].Value;
            var literal = LiteralRegex().Match(match.Groups["rest"].Value);
            return literal.Success ? literal.Groups["literal"].Value : "{" + name + "}";
        });

    // {name}, {*name}, {name?}, {name=default}, {name:constraint(args):…}; braces inside a constraint are doubled.
    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<rest>(?:[^{}]|\{\{|\}\})*)\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^:regex\(\^(?<literal>[A-Za-z0-9._-]+)\$\)\??$")]
    private static partial Regex LiteralRegex();
}
