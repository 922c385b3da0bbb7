using DevHost.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DevHost.Http;

/// <summary>One HTTP function's route: <c>prefix/route</c>, its constraints and its methods.</summary>
internal sealed record HttpRoute(FunctionDescriptor Function, string Template, IReadOnlyList<string> Methods, TemplateMatcher Matcher, IDictionary<string, IRouteConstraint> Constraints);

internal sealed record RouteMatch(FunctionDescriptor Function, RouteValueDictionary Values);

/// <summary>
/// The real host's routing: each HTTP function is a legacy ASP.NET Core route (template, inline constraints, an
/// <c>httpMethod</c> constraint), tried in registration order, first match wins, case-insensitive. A wrong method is
/// just a failed constraint, so it answers 404 like an unknown path.
/// </summary>
internal sealed class RouteTable
{
    private static readonly string[] ReservedPrefixes = ["admin", "runtime"];

    /// <summary>Constraints receive the router that owns them; no built-in constraint reads it.</summary>
    private static readonly IRouter Owner = new RouteCollection();

    private RouteTable(IReadOnlyList<HttpRoute> routes, IReadOnlyList<string> errors)
    {
        Routes = routes;
        Errors = errors;
    }

    public IReadOnlyList<HttpRoute> Routes { get; }

    /// <summary>Functions the host refused to route (reserved or duplicate routes, bad templates).</summary>
    public IReadOnlyList<string> Errors { get; }

    public static IInlineConstraintResolver CreateConstraintResolver() =>
        new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    public static string Combine(string routePrefix, string route) =>
        routePrefix.Length == 0 ? route.Trim('/') : $"{routePrefix.Trim('/')}/{route.Trim('/')}";

    public static RouteTable Build(IEnumerable<FunctionDescriptor> functions, string routePrefix, IInlineConstraintResolver resolver)
    {
        var routes = new List<HttpRoute>();
        var errors = new List<string>();
        foreach (var function in functions.Where(f => f.IsHttp))
        {
            var route = function.Route;
            if (ReservedPrefixes.Any(p => route.Equals(p, StringComparison.OrdinalIgnoreCase) || route.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"{function.Name}: the route '{route}' conflicts with the host's built-in '{route.Split('/')[0]}' routes.");
                continue;
            }

            var text = Combine(routePrefix, route);
            RouteTemplate template;
            try
            {
                template = TemplateParser.Parse(text);
            }
            catch (ArgumentException exception)
            {
                errors.Add($"{function.Name}: invalid route template '{text}': {exception.Message}");
                continue;
            }

            var methods = function.Methods;
            if (routes.FirstOrDefault(r => string.Equals(r.Template, text, StringComparison.OrdinalIgnoreCase) && Overlap(r.Methods, methods)) is { } clash)
            {
                errors.Add($"{function.Name}: the route '{text}' with methods [{string.Join(",", methods)}] is already taken by {clash.Function.Name}.");
                continue;
            }

            var constraints = new RouteConstraintBuilder(resolver, text);
            var defaults = new RouteValueDictionary();
            foreach (var parameter in template.Parameters)
            {
                if (parameter.DefaultValue is not null)
                {
                    defaults[parameter.Name!] = parameter.DefaultValue;
                }
                if (parameter.IsOptional)
                {
                    constraints.SetOptional(parameter.Name!);
                }
                foreach (var inline in parameter.InlineConstraints)
                {
                    constraints.AddResolvedConstraint(parameter.Name!, inline.Constraint);
                }
            }
            if (methods.Count > 0)
            {
                constraints.AddConstraint("httpMethod", new HttpMethodRouteConstraint([.. methods]));
            }

            routes.Add(new HttpRoute(function, text, methods, new TemplateMatcher(template, defaults), constraints.Build()));
        }
        return new RouteTable(routes, errors);
    }

    public RouteMatch? Match(HttpContext context)
    {
        foreach (var route in Routes)
        {
            var values = new RouteValueDictionary();
            if (route.Matcher.TryMatch(context.Request.Path, values)
                && RouteConstraintMatcher.Match(route.Constraints, values, context, Owner, RouteDirection.IncomingRequest, NullLogger.Instance))
            {
                return new RouteMatch(route.Function, values);
            }
        }
        return null;
    }

    private static bool Overlap(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Count == 0 || b.Count == 0 || a.Intersect(b, StringComparer.OrdinalIgnoreCase).Any();
}
