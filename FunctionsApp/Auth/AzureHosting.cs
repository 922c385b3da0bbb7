using Microsoft.Extensions.Configuration;

namespace ComponentCatalog.Auth;

/// <summary>
/// Whether the app runs in Azure, told by variables the platform sets on every instance and no local host sets
/// (Core Tools and the dev host set <c>WEBSITE_HOSTNAME</c>, and <c>CONTAINER_NAME</c> is common in any Docker setup, so
/// neither is a marker). Dev tokens are refused when
/// any is present, whatever <c>AZURE_FUNCTIONS_ENVIRONMENT</c> says: publishing local settings must not open the app.
/// </summary>
internal static class AzureHosting
{
    public static IReadOnlyList<string> Markers { get; } =
    [
        "WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME", "WEBSITE_OWNER_NAME", "CONTAINER_APP_NAME",
    ];

    /// <summary>The first marker that is set, or null when none is (a local run).</summary>
    public static string? Marker(IConfiguration configuration) =>
        Markers.FirstOrDefault(name => !string.IsNullOrEmpty(configuration[name]));
}
