using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>
/// Core's <see cref="SecurityHeaders"/> (hardening headers and the correlation id) on every function's response, as
/// the Server sends them; registered before the bearer check so its 401s carry them too.
/// </summary>
internal sealed class SecurityHeadersMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            SecurityHeaders.AddTo(http);
        }

        return next(context);
    }
}
