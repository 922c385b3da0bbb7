using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Maintenance;

/// <summary>Settings under <c>Maintenance__*</c>; the schedules themselves are read by the host (<c>%Maintenance__…Schedule%</c>).</summary>
internal sealed class MaintenanceOptions
{
    public const string SettingsSection = "Maintenance";

    /// <summary>Work one run does before it checkpoints and stops; the next run continues.</summary>
    [Range(1, 1_000_000)]
    public int MaxItemsPerRun { get; set; } = 10_000;

    /// <summary>How long a run's lease lasts; a crashed run's lease expires after this.</summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 300;
}
