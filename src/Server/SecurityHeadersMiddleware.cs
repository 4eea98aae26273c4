using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// Headers every response carries: no MIME sniffing, no referrer, no framing, the correlation id. API responses are also
/// never cached and may load nothing at all (a strict Content-Security-Policy). Other paths, such as the Development demo
/// page and API docs, set their own policy; one set by the endpoint is never overwritten.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly PathString ApiPrefix = "/" + ApiRoutes.Prefix;

    public Task InvokeAsync(HttpContext context)
    {
        CorrelationId.AddToResponse(context);
        var api = context.Request.Path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.TryAdd("Referrer-Policy", "no-referrer");
            headers.TryAdd("X-Frame-Options", "DENY");
            if (api)
            {
                headers.TryAdd("Content-Security-Policy", ApiContentSecurityPolicy);
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
