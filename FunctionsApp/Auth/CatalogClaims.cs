using System.Security.Claims;
using ComponentCatalog.Catalog;

namespace ComponentCatalog.Auth;

/// <summary>The claim names and role values of the contract, and how a principal becomes a <see cref="CatalogUser"/>.</summary>
internal static class CatalogClaims
{
    public const string Roles = "roles";
    public const string Teams = "teams";
    public const string Subject = "sub";
    public const string ObjectId = "oid";

    public const string Reader = "Catalog.Reader";
    public const string Writer = "Catalog.Writer";
    public const string Admin = "Catalog.Admin";

    public static IReadOnlyList<string> AllRoles { get; } = [Reader, Writer, Admin];

    /// <summary>The strongest of the known roles among <paramref name="values"/>; unknown values are ignored.</summary>
    public static CatalogRole StrongestRole(IEnumerable<string> values) =>
        values.Select(ParseRole).DefaultIfEmpty(CatalogRole.None).Max();

    public static CatalogRole ParseRole(string value) => value switch
    {
        Reader => CatalogRole.Reader,
        Writer => CatalogRole.Writer,
        Admin => CatalogRole.Admin,
        _ => CatalogRole.None,
    };

    /// <summary>
    /// The caller of a validated token: id from <c>oid</c> (Entra's stable object id) or <c>sub</c>, the strongest
    /// role of the multi-valued <c>roles</c> claim, the teams of the multi-valued <c>teams</c> claim.
    /// Null when the token names nobody.
    /// </summary>
    public static CatalogUser? ToCatalogUser(this ClaimsIdentity identity)
    {
        var id = identity.FindFirst(ObjectId)?.Value ?? identity.FindFirst(Subject)?.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var role = StrongestRole(identity.FindAll(Roles).Select(c => c.Value));
        var teams = identity.FindAll(Teams).Select(c => c.Value).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new CatalogUser(id, role, teams);
    }
}
