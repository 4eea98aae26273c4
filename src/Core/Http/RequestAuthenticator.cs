using Microsoft.AspNetCore.Http;
using Onboarding.Core.Identity;

namespace Onboarding.Core.Http;

/// <summary>
/// The authentication step both hosts run before a protected handler: a valid token sets the current user,
/// anything else produces the 401 to send. The token is read from the Authorization header only.
/// </summary>
public sealed class RequestAuthenticator(TokenAuthenticator tokens)
{
    /// <summary>Returns null when the user is set on <paramref name="context"/>, else the 401 (or 503) result to send.</summary>
    public async Task<IResult?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        AuthenticationOutcome outcome;
        try
        {
            outcome = await tokens.AuthenticateAsync(context.Request.Headers.Authorization, context.RequestAborted);
        }
        catch (DependencyUnavailableException ex)
        {
            return Problems.Unavailable(ex);
        }

        if (outcome.User is null)
        {
            return Problems.Unauthorized(outcome);
        }

        context.SetCurrentUser(outcome.User);
        return null;
    }
}
