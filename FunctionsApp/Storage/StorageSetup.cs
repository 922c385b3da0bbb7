using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComponentCatalog.Storage;

/// <summary>Where the catalog's tables live and how they are named.</summary>
public sealed class CatalogStorageOptions
{
    /// <summary>A connection string (<c>UseDevelopmentStorage=true</c> locally); setting <c>CatalogStorage</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>In Azure: <c>CatalogStorage__tableServiceUri</c>, used with managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix for every table name; tests give each class its own.</summary>
    public string TablePrefix { get; set; } = string.Empty;

    /// <summary>Per-try network timeout; Azure.Core's default of 100 s would hang requests on a dead account.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// The most one storage operation may take, retries included (<see cref="StorageDeadlinePolicy"/>): the bound
    /// on how long a request waits for a storage that refuses, resets or hangs before it answers 503.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public static class StorageSetup
{
    public static FunctionsApplicationBuilder AddCatalogStorage(this FunctionsApplicationBuilder builder)
    {
        var options = Read(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => CreateServiceClient(options));
        builder.Services.AddSingleton<CatalogTables>();
        builder.Services.AddSingleton<ComponentStore>();
        builder.Services.AddSingleton<IndexStore>();
        builder.Services.AddSingleton<JobStore>();
        return builder;
    }

    public static CatalogStorageOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("CatalogStorage");
        var options = new CatalogStorageOptions
        {
            ConnectionString = section.Value ?? section["connectionString"],
            TableServiceUri = section["tableServiceUri"] is { Length: > 0 } uri ? new Uri(uri) : null,
            TablePrefix = configuration["Catalog:TablePrefix"] ?? string.Empty,
        };
        if (double.TryParse(section["operationTimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            options.OperationTimeout = TimeSpan.FromSeconds(seconds);
        }
        if (options.ConnectionString is null && options.TableServiceUri is null)
        {
            throw new InvalidOperationException(
                "Set 'CatalogStorage' (a connection string) or 'CatalogStorage__tableServiceUri' (managed identity).");
        }
        return options;
    }

    public static TableServiceClient CreateServiceClient(CatalogStorageOptions options)
    {
        var clientOptions = ClientOptions(options);
        return options.ConnectionString is { Length: > 0 } connection
            ? new TableServiceClient(connection, clientOptions)
            : new TableServiceClient(options.TableServiceUri!, new DefaultAzureCredential(), clientOptions);
    }

    /// <summary>Retries, the per-try network timeout and the per-operation deadline; tests add their own policies to these.</summary>
    public static TableClientOptions ClientOptions(CatalogStorageOptions options)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.AddPolicy(new StorageDeadlinePolicy(options.OperationTimeout), HttpPipelinePosition.PerCall);
        return clientOptions;
    }
}
