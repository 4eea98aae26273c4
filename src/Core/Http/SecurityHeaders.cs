using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

/// <summary>
/// Headers every response of the API carries, on both hosts: no MIME sniffing, no referrer, no framing, the
/// correlation id. API responses are also never cached and may load nothing at all (a strict Content-Security-Policy).
/// Other paths, such as the Server's Development demo page and API docs, set their own policy; a header the endpoint
/// set is never overwritten.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly PathString ApiPrefix = "/" + ApiRoutes.Prefix;

    /// <summary>Registers the headers on the response, whoever ends up writing it.</summary>
    public static void AddTo(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
    }
}
