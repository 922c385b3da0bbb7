using ComponentCatalog.Auth;
using ComponentCatalog.Catalog;
using ComponentCatalog.Errors;
using Microsoft.Azure.Functions.Worker.Http;

namespace ComponentCatalog.Tests.Support;

/// <summary>
/// What the auth checks decided for one request, for asserting: whom it runs as, or the refusal they threw, and the
/// caller the request log names (also when refused), as <see cref="AuthMiddleware"/> records it.
/// </summary>
internal sealed record GateOutcome(CatalogUser? User, CatalogException? Failure, string? CallerId)
{
    public bool Allowed => Failure is null;

    /// <summary><see cref="AccessPolicy.Authorize"/> alone.</summary>
    public static GateOutcome Decide(string function, AuthResult result)
    {
        try
        {
            var user = AccessPolicy.Authorize(function, result);
            return new(user, null, user?.Id);
        }
        catch (CatalogException e)
        {
            return new(null, e, result.User?.Id);
        }
    }
}

internal static class RequestGateRuns
{
    /// <summary>The gate's two steps in <see cref="AuthMiddleware"/>'s order.</summary>
    public static async Task<GateOutcome> EvaluateAsync(this RequestGate gate, string function, HttpHeadersCollection headers)
    {
        AuthResult? caller = null;
        try
        {
            caller = await gate.AuthenticateAsync(function, headers);
            var user = gate.Authorize(function, caller, headers);
            return new(user, null, caller.User?.Id);
        }
        catch (CatalogException e)
        {
            return new(null, e, caller?.User?.Id);
        }
    }
}
