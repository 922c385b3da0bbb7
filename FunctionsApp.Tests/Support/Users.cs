using ComponentCatalog.Catalog;

namespace ComponentCatalog.Tests.Support;

internal static class Users
{
    public static CatalogUser Reader { get; } = new("reader@test", CatalogRole.Reader, new HashSet<string>());
    public static CatalogUser Payments { get; } = new("pay@test", CatalogRole.Writer, new HashSet<string> { "payments" });
    public static CatalogUser Identity { get; } = new("id@test", CatalogRole.Writer, new HashSet<string> { "identity" });
    public static CatalogUser Admin { get; } = new("admin@test", CatalogRole.Admin, new HashSet<string>());
}
