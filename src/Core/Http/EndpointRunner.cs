using Microsoft.AspNetCore.Http;
using Onboarding.Core.Identity;

namespace Onboarding.Core.Http;

/// <summary>The frame of every protected handler: the authenticated user in, dependency outages out as 503.</summary>
internal static class EndpointRunner
{
    public static async Task<IResult> RunAsync(HttpContext context, Func<CurrentUser, CancellationToken, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.GetCurrentUser();
        if (user is null)
        {
            // Reached only if a host forgot its authentication step: fail closed.
            return Problems.Unauthorized(AuthenticationOutcome.MissingToken("A bearer token is required."));
        }

        try
        {
            return await handler(user, context.RequestAborted);
        }
        catch (DependencyUnavailableException ex)
        {
            return Problems.Unavailable(ex);
        }
    }
}
