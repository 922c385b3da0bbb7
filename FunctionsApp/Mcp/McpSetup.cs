using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Mcp;

internal static class McpSetup
{
    /// <summary>The remote MCP endpoint: tools, resources and prompts over the catalog's components (docs/mcp.md).</summary>
    public static FunctionsApplicationBuilder AddCatalogMcp(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<McpOptions>(McpOptions.SettingsSection);
        builder.Services.AddSingleton<CatalogMcpTools>();
        builder.Services.AddSingleton<CatalogMcpResources>();
        builder.Services.AddSingleton<CatalogMcpPrompts>();
        builder.Services.AddSingleton<CatalogMcpServer>();
        builder.Services.AddSingleton<McpEndpoint>();
        builder.Services.AddSingleton<ProtectedResource>();
        return builder;
    }
}
