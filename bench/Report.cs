using System.Globalization;
using System.Text.Json;

namespace Bench;

internal sealed record Row(string Group, string Name, double Value, string Unit, double? Floor, string? FloorName, double? Ratio, double? Target, string Verdict, string? Extra);

/// <summary>The table the benchmark prints and the JSON it writes.</summary>
internal sealed class Report(string mode, string configuration)
{
    private readonly List<Row> _rows = [];

    public List<string> Failures { get; } = [];

    /// <param name="targetIsRatio">The target applies to value / floor instead of the value itself.</param>
    public void Add(string group, string name, double value, string unit, double? floor = null, string? floorName = null,
        double? target = null, bool targetIsRatio = false, bool higherIsBetter = false, string? extra = null)
    {
        double? ratio = floor is > 0 ? value / floor : null;
        var measured = targetIsRatio ? ratio : value;
        var verdict = target is null || measured is null ? "" : (higherIsBetter ? measured >= target : measured <= target) ? "met" : "missed";
        _rows.Add(new Row(group, name, value, unit, floor, floorName, ratio, target, verdict, extra));
    }

    public void Print(TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine($"Component Catalog benchmark — {mode} mode, {configuration}, {Environment.ProcessorCount} cores, {elapsed.TotalSeconds:0} s");
        Console.WriteLine($"{"group",-16} {"measure",-52} {"value",10} {"unit",-7} {"floor",8} {"ratio",6} {"target",7} {"",-6} notes");
        foreach (var r in _rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Group,-16} {r.Name,-52} {r.Value,10:0.00} {r.Unit,-7} {(r.Floor is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) : ""),8} {(r.Ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : ""),6} {(r.Target is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) : ""),7} {r.Verdict,-6} {(r.FloorName is null ? "" : $"floor: {r.FloorName}; ")}{r.Extra}"));
        }
        foreach (var failure in Failures) Console.WriteLine("FAILED: " + failure);
    }

    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(new
        {
            mode, configuration, cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), at = DateTimeOffset.UtcNow,
            rows = _rows, failures = Failures,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        await File.WriteAllTextAsync(path, json);
        Console.WriteLine($"wrote {path}");
    }
}
