using System.Text.Json;

namespace DevHost.Worker;

/// <summary>The app's <c>worker.config.json</c>, written by the Worker SDK next to the app's DLL.</summary>
internal sealed record WorkerConfig(string ExecutablePath, string WorkerPath)
{
    public const string FileName = "worker.config.json";

    public static WorkerConfig Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{FileName} not found in {appDirectory}: build the function app first (or drop --no-build).", path);
        }
        return Parse(File.ReadAllText(path));
    }

    public static WorkerConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var description = document.RootElement.GetProperty("description");
        var executable = description.TryGetProperty("defaultExecutablePath", out var e) ? e.GetString() : null;
        var worker = description.TryGetProperty("defaultWorkerPath", out var w) ? w.GetString() : null;
        if (worker is not { Length: > 0 })
        {
            throw new InvalidDataException($"{FileName} has no description.defaultWorkerPath.");
        }
        return new WorkerConfig(executable is { Length: > 0 } ? executable : "dotnet", worker);
    }
}
