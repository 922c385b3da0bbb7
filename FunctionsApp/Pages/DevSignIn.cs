using System.Text;
using ComponentCatalog.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ComponentCatalog.Pages;

/// <summary>
/// The Development-only sign-in: a dev token (HS256, the same kind <c>dotnet run --project DevHost -- token</c>
/// prints) for a chosen user, role and teams. Available only where <see cref="JwtValidator"/> accepts dev tokens —
/// Development with <c>Auth__DevSigningKey</c> set — so nowhere in Azure.
/// </summary>
internal sealed class DevSignIn(AuthOptions options, JwtValidator jwt, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static IReadOnlyList<string> Roles { get; } = [CatalogClaims.Reader, CatalogClaims.Writer, CatalogClaims.Admin];

    public bool Enabled => jwt.AcceptsDevTokens && !string.IsNullOrEmpty(options.DevSigningKey);

    public string CreateToken(string user, string role, IReadOnlyList<string> teams)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.DevSigningKey!)) { KeyId = "dev" }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = user, ["roles"] = new[] { role }, ["teams"] = teams.ToArray() },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
