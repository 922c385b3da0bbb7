using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComponentCatalog.Maintenance;

public static class MaintenanceSetup
{
    public static FunctionsApplicationBuilder AddMaintenance(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaintenanceOptions>()
            .Bind(builder.Configuration.GetSection("Maintenance"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<MaintenanceOptions>>().Value);
        builder.Services.AddSingleton<MaintenanceJobs>();
        builder.Services.AddSingleton<CatalogReports>();
        return builder;
    }
}
