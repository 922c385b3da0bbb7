using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComponentCatalog.Storage;

/// <summary>
/// Where the catalog's tables live and how they are named: settings <c>CatalogStorage</c> (a connection string, or
/// the section of the values below) and <c>Catalog__TablePrefix</c>.
/// </summary>
internal sealed class CatalogStorageOptions : IValidatableObject
{
    public const string SettingsSection = "CatalogStorage";

    /// <summary>A connection string (<c>UseDevelopmentStorage=true</c> locally): the value of <c>CatalogStorage</c> itself.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>In Azure: <c>CatalogStorage__tableServiceUri</c>, used with managed identity.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix for every table name (<c>Catalog__TablePrefix</c>); tests give each class its own.</summary>
    public string TablePrefix { get; set; } = string.Empty;

    /// <summary>Per-try network timeout; Azure.Core's default of 100 s would hang requests on a dead account.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// The most one storage operation may take, retries included (<see cref="StorageDeadlinePolicy"/>): the bound
    /// on how long a request waits for a storage that refuses, resets or hangs before it answers 503.
    /// </summary>
    [Range(1, 300)]
    public double OperationTimeoutSeconds { get; set; } = 5;

    /// <summary><see cref="OperationTimeoutSeconds"/> as a span, for code that sets its own (tests, the benchmark's seeding).</summary>
    public TimeSpan OperationTimeout
    {
        get => TimeSpan.FromSeconds(OperationTimeoutSeconds);
        set => OperationTimeoutSeconds = value.TotalSeconds;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Set 'CatalogStorage' (a connection string) or 'CatalogStorage__tableServiceUri' (managed identity).",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }
    }
}

internal static class StorageSetup
{
    public static FunctionsApplicationBuilder AddCatalogStorage(this FunctionsApplicationBuilder builder)
    {
        builder.AddValidatedOptions<CatalogStorageOptions>(CatalogStorageOptions.SettingsSection)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // The section's own value is the connection string; the prefix is a catalog-wide setting.
                options.ConnectionString ??= configuration.GetSection(CatalogStorageOptions.SettingsSection).Value;
                options.TablePrefix = configuration["Catalog:TablePrefix"] ?? options.TablePrefix;
            });
        builder.Services.AddSingleton(sp => CreateServiceClient(sp.GetRequiredService<CatalogStorageOptions>()));
        builder.Services.AddSingleton<CatalogTables>();
        builder.Services.AddSingleton<ComponentStore>();
        builder.Services.AddSingleton<IndexStore>();
        builder.Services.AddSingleton<JobStore>();
        return builder;
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
