using System.ComponentModel.DataAnnotations;

namespace ComponentCatalog.Catalog;

/// <summary>Settings under <c>Catalog__*</c>.</summary>
internal sealed class CatalogOptions
{
    /// <summary>The configuration section; the dev host reads it to check settings before it starts the worker.</summary>
    public const string SettingsSection = "Catalog";

    /// <summary>Largest document body accepted, JSON or Markdown.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Largest <c>POST /import</c> body (up to 500 documents).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxImportBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Longest an instance keeps a cached document (0 turns the cache off). Freshness does not depend on it: the
    /// change log drops an entry when its document changes (docs/adr/0004-caching-across-instances.md); this only
    /// returns memory held by documents nobody reads.
    /// </summary>
    [Range(0, 86400)]
    public int CacheSeconds { get; set; } = 3600;

    [Range(typeof(long), "1048576", "4294967296")]
    public long CacheSizeLimitBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often an instance polls the change log for other instances' writes.</summary>
    [Range(0, 300)]
    public int IndexRefreshSeconds { get; set; } = 2;

    /// <summary>Key that signs continuation tokens; the same on every instance. Derived from the storage account when unset.</summary>
    public string? PagingKey { get; set; }

    [Range(1, 3650)]
    public int StaleAfterDays { get; set; } = 180;

    [Range(1, 3650)]
    public int DeletedRetentionDays { get; set; } = 30;
}
