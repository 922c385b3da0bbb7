using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker;

namespace ComponentCatalog.Auth;

/// <summary>The caller, as the authentication middleware put it into <see cref="FunctionContext.Items"/>.</summary>
internal static class UserContext
{
    private const string Key = "CatalogUser";

    public static void SetUser(this FunctionContext context, CatalogUser user) => context.Items[Key] = user;

    public static bool TryGetUser(this FunctionContext context, out CatalogUser user)
    {
        if (context.Items.TryGetValue(Key, out var value) && value is CatalogUser found)
        {
            user = found;
            return true;
        }
        user = null!;
        return false;
    }

    public static CatalogUser GetUser(this FunctionContext context) =>
        context.TryGetUser(out var user) ? user : throw new UnauthorizedException("Sign in: send a Bearer token or an X-Api-Key.");
}
