using System.Reflection;
using DevHost;

namespace ComponentCatalog.Tests.EndToEnd;

/// <summary>The dev host for the tests: the outputs of the configuration this test assembly was built with.</summary>
public static class DevHostServer
{
    public static string Configuration { get; } =
        typeof(DevHostServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static Task<DevHostProcess> StartAsync() => DevHostProcess.StartAsync(Configuration);
}

/// <summary>One dev host shared by the end-to-end test classes: started by the first, stopped after the last.</summary>
public static class SharedDevHost
{
    /// <summary>The key that signs its continuation tokens, so a test can forge one with a valid MAC.</summary>
    public const string PagingKey = "shared-dev-host-paging-key";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static DevHostProcess? _server;
    private static int _users;

    public static async Task<DevHostProcess> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _server ??= await DevHostProcess.StartAsync(DevHostServer.Configuration, new Dictionary<string, string> { ["Catalog__PagingKey"] = PagingKey });
            _users++;
            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0 && _server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
