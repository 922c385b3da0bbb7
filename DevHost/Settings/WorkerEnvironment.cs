using System.Collections;

namespace DevHost.Settings;

/// <summary>
/// The environment the worker starts with, built the way Core Tools and the host build it: the dev host's own
/// environment passes through; local settings fill in what it lacks (never overriding, nulls skipped); the storage
/// settings point at the started Azurite unless the user set them in the environment; a few host variables are forced.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>Settings that point at the dev host's Azurite unless set explicitly in the environment.</summary>
    public static IReadOnlyList<string> StorageSettings { get; } = ["AzureWebJobsStorage", "CatalogStorage"];

    public static IReadOnlyDictionary<string, string> CurrentProcess()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                result[key] = value;
            }
        }
        return result;
    }

    /// <summary>The variables to set on the worker process on top of <paramref name="processEnvironment"/>.</summary>
    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string> processEnvironment,
        LocalSettings settings,
        string appDirectory,
        string? storageConnectionString,
        int publicPort)
    {
        var added = new Dictionary<string, string>(StringComparer.Ordinal);

        void AddIfAbsent(string name, string? value)
        {
            if (value is not null && !processEnvironment.ContainsKey(name) && !added.ContainsKey(name))
            {
                added[name] = value;
            }
        }

        if (storageConnectionString is not null)
        {
            foreach (var name in StorageSettings)
            {
                AddIfAbsent(name, storageConnectionString);
            }
        }

        foreach (var (name, value) in settings.Values)
        {
            AddIfAbsent(name, value);
        }
        foreach (var (name, value) in settings.ConnectionStrings)
        {
            AddIfAbsent($"ConnectionStrings:{name}", value);
        }

        AddIfAbsent("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated");
        AddIfAbsent("WEBSITE_HOSTNAME", $"localhost:{publicPort}");

        added["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        added["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        added["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        added["AzureWebJobsScriptRoot"] = appDirectory;
        return added;
    }

    /// <summary>What the worker sees for a setting: the process environment merged with what the dev host adds.</summary>
    public static Func<string, string?> Lookup(IReadOnlyDictionary<string, string> processEnvironment, IReadOnlyDictionary<string, string> added) =>
        name => added.TryGetValue(name, out var value) ? value : processEnvironment.GetValueOrDefault(name);

    /// <summary>Everything the worker's environment holds: the process environment with what the dev host adds on top.</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> processEnvironment, IReadOnlyDictionary<string, string> added)
    {
        var merged = new Dictionary<string, string>(processEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in added)
        {
            merged[name] = value;
        }
        return merged;
    }

    /// <summary>A setting read as the worker would get it without a dev host: environment first, then local settings.</summary>
    public static string? Read(string name, IReadOnlyDictionary<string, string> processEnvironment, LocalSettings settings) =>
        processEnvironment.TryGetValue(name, out var value) ? value : settings.Values.GetValueOrDefault(name);
}
