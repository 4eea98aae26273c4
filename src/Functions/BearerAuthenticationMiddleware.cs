using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>
/// The Functions host's gate: every function that is not on the anonymous allow-list runs only with a valid bearer token.
/// Triggers are <see cref="AuthorizationLevel.Anonymous"/>, so this is the only check a request meets.
/// </summary>
internal sealed class BearerAuthenticationMiddleware(RequestAuthenticator authenticator) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        if (ApiRoutes.IsAnonymous(context.FunctionDefinition.Name))
        {
            await next(context);
            return;
        }

        // Every function here is an HTTP trigger. Without an HttpContext there is no token to check, so fail closed.
        var http = context.GetHttpContext()
            ?? throw new InvalidOperationException(
                $"Function '{context.FunctionDefinition.Name}' has no HttpContext; ConfigureFunctionsWebApplication must come before this middleware.");

        var rejection = await authenticator.AuthenticateAsync(http);
        if (rejection is not null)
        {
            // The function is not run: the 401 ProblemDetails is written here, and the invocation's result is the
            // empty one, for the reason the functions answer that way (FunctionAnswer).
            context.GetInvocationResult().Value = await FunctionAnswer.WriteAsync(http, rejection);
            return;
        }

        await next(context);
    }
}
