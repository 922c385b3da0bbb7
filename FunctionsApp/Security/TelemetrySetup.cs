using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ComponentCatalog.Security;

internal static class TelemetrySetup
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry (traces, metrics, logs) with the Functions worker's resource and invocation spans, exported to
    /// Application Insights — only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, so local runs and tests
    /// export nothing. The exporter reads the connection string itself.
    /// </summary>
    public static FunctionsApplicationBuilder AddCatalogTelemetry(this FunctionsApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringSetting]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter(o => o.Credential = new Azure.Identity.DefaultAzureCredential());
        return builder;
    }
}
