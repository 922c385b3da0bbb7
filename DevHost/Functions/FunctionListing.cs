using System.Text;
using DevHost.Http;
using DevHost.Timers;

namespace DevHost.Functions;

/// <summary>The function list printed at start-up, laid out like <c>func start</c>'s.</summary>
internal static class FunctionListing
{
    public static string Format(FunctionRegistry registry, RouteTable routes, IReadOnlyList<ScheduledTimer> timers, string baseUrl)
    {
        var text = new StringBuilder().AppendLine().AppendLine("Functions:").AppendLine();
        foreach (var function in registry.Functions)
        {
            if (routes.Routes.FirstOrDefault(r => r.Function == function) is { } route)
            {
                var methods = route.Methods.Count == 0 ? "*" : string.Join(",", route.Methods);
                text.AppendLine($"        {function.Name}: [{methods}] {baseUrl}/{route.Template}");
            }
            else if (function.IsHttp)
            {
                text.AppendLine($"        {function.Name}: httpTrigger (not routed, see the error above)");
            }
            else if (timers.FirstOrDefault(t => t.Function == function) is { } timer)
            {
                text.AppendLine($"        {function.Name}: timerTrigger ({timer.Schedule.Expression})");
            }
            else
            {
                text.AppendLine($"        {function.Name}: {function.TriggerType}");
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
