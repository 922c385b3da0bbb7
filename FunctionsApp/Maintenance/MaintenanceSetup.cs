using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Maintenance;

internal static class MaintenanceSetup
{
    public static FunctionsApplicationBuilder AddMaintenance(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<MaintenanceOptions>(MaintenanceOptions.SettingsSection);
        builder.Services.AddSingleton<MaintenanceJobs>();
        builder.Services.AddSingleton<CatalogReports>();
        return builder;
    }
}
