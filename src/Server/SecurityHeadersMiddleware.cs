using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>Core's <see cref="SecurityHeaders"/> on every response of the Server, error responses included.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ApiContentSecurityPolicy = SecurityHeaders.ApiContentSecurityPolicy;

    public Task InvokeAsync(HttpContext context)
    {
        SecurityHeaders.AddTo(context);
        return next(context);
    }
}
