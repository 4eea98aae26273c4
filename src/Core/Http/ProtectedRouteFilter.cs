using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

/// <summary>
/// Runs <see cref="EndpointRunner"/>'s frame (user present, per-user rate limit, dependency outages as 503) around a
/// typed handler the Server maps, so typed and untyped handlers answer the same.
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
