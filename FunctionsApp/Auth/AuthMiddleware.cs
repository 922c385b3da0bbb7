using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace ComponentCatalog.Auth;

/// <summary>
/// Applies <see cref="RequestGate"/> to every HTTP invocation: its refusals are thrown, so ExceptionMiddleware
/// answers them as problem+json; an allowed caller goes into <see cref="FunctionContext.Items"/> for
/// <c>context.GetUser()</c>. Timer invocations pass untouched. Stateless: the gate is resolved per invocation.
/// </summary>
internal sealed class AuthMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>The authenticated caller's id, also when refused: for the request log, not for authorization.</summary>
    public const string CallerIdKey = "CatalogCallerId";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var request = await context.GetHttpRequestDataAsync();
        if (request is null)
        {
            await next(context);
            return;
        }

        var gate = context.InstanceServices.GetRequiredService<RequestGate>();
        var caller = await gate.AuthenticateAsync(context.FunctionDefinition.Name, request.Headers, context.CancellationToken);
        if (caller.User is { } authenticated)
        {
            // Named in the request log also when refused below (403/429).
            context.Items[CallerIdKey] = authenticated.Id;
        }
        if (gate.Authorize(context.FunctionDefinition.Name, caller, request.Headers) is { } user)
        {
            context.SetUser(user);
        }
        await next(context);
    }
}
