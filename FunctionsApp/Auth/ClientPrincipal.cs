using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ComponentCatalog.Catalog;

namespace ComponentCatalog.Auth;

/// <summary>
/// App Service / Container Apps authentication's <c>X-MS-CLIENT-PRINCIPAL</c>: base64 JSON
/// <c>{auth_typ, name_typ, role_typ, claims:[{typ, val}]}</c>. Read only when
/// <see cref="AuthOptions.TrustAppServiceAuthentication"/> says the platform put it there.
/// </summary>
internal static class ClientPrincipal
{
    private const string EntraObjectId = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    public static CatalogUser? Parse(string encoded)
    {
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Convert.FromBase64String(encoded));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }

        if (payload?.Claims is not { Count: > 0 } claims)
        {
            return null;
        }

        var roleType = string.IsNullOrEmpty(payload.RoleType) ? CatalogClaims.Roles : payload.RoleType;
        var identity = new ClaimsIdentity(
            claims.Where(c => c.Type is not null && c.Value is not null)
                .Select(c => new Claim(Normalize(c.Type!, roleType), c.Value!)),
            payload.AuthenticationType);
        return identity.ToCatalogUser();
    }

    private static string Normalize(string type, string roleType) => type switch
    {
        EntraObjectId => CatalogClaims.ObjectId,
        _ when type == roleType => CatalogClaims.Roles,
        _ => type,
    };

    private sealed record Payload(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("role_typ")] string? RoleType,
        [property: JsonPropertyName("claims")] IReadOnlyList<PrincipalClaim>? Claims);

    private sealed record PrincipalClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
