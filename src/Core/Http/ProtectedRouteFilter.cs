using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

/// <summary>
/// Runs <see cref="EndpointRunner"/>'s frame (user present, per-user rate limit, dependency outages as 503) around the
/// typed handlers the Server maps, as the Functions app runs it around the same handlers. The framework runs filters
/// even when a parameter failed to bind (the handler is then skipped), so a request without a user is answered 401
/// here rather than with binding's bare 400. Bodies never fail to bind (<see cref="JsonRequest{T}"/>): they are read
/// in the handler, after this frame's checks.
/// </summary>
internal sealed class ProtectedRouteFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return await EndpointRunner.RunAsync(context.HttpContext, async (_, _) =>
            await next(context) as IResult ?? throw new InvalidOperationException("A typed handler answered with something that is not an IResult."));
    }
}
