using Microsoft.AspNetCore.Authorization;
using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// Runs Core's authenticator for every request except endpoints on the anonymous allow-list (those marked
/// AllowAnonymous: health, the OpenAPI document, and in Development the issuer and the API reference at /docs) and CORS
/// preflights, which browsers send without credentials. Unmatched paths and other OPTIONS requests need a token too, so
/// the API's shape is not revealed to anonymous callers. The Development demo's static files are served before routing
/// (see <see cref="DemoFrontend"/>) and never reach this middleware.
/// A client address with too many failed attempts is refused (429) before its token is read; each validation holds one
/// of the address's permits while it runs and keeps it only if it fails.
/// </summary>
public sealed class BearerAuthenticationMiddleware(RequestDelegate next, RequestAuthenticator authenticator, FailedAuthenticationLimiter failures)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null || IsPreflight(context.Request))
        {
            await next(context);
            return;
        }

        if (failures.Reserve(context) is { } tooMany)
        {
            await tooMany.ExecuteAsync(context);
            return;
        }

        // Only a failure keeps the permit (so does a validation that throws, as when the client goes away). A 503 here
        // means the identity provider is down; counting it keeps junk tokens sent during an outage limited too.
        var failure = await authenticator.AuthenticateAsync(context);
        if ((failure as IStatusCodeHttpResult)?.StatusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status503ServiceUnavailable))
        {
            failures.Refund(context);
        }

        if (failure is not null)
        {
            await failure.ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsPreflight(HttpRequest request)
        => HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.AccessControlRequestMethod);
}
