using Microsoft.AspNetCore.Authorization;
using Onboarding.Core.Identity;

namespace Onboarding.Server;

/// <summary>
/// Runs Core's authenticator for every request except endpoints on the anonymous allow-list (those marked
/// AllowAnonymous: health, the OpenAPI document, and in Development the issuer and the API reference at /docs).
/// Unmatched paths need a token too, so the API's shape is not revealed to anonymous callers. The Development demo's
/// static files are served before routing (see <see cref="DemoFrontend"/>) and never reach this middleware.
/// </summary>
public sealed class BearerAuthenticationMiddleware(RequestDelegate next, RequestAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var failure = await authenticator.AuthenticateAsync(context);
        if (failure is not null)
        {
            await failure.ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
