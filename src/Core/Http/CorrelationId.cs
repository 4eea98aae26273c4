using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Onboarding.Core.Http;

/// <summary>
/// The id that ties a response to its traces and logs: the W3C trace id of the request (the one a caller's
/// <c>traceparent</c> carries in, and the one ProblemDetails' <c>trace_id</c> contains), or the host's request id when
/// nothing traces the request.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The request's own activity first: in the Functions worker, middleware runs in the invocation's flow, where
        // Activity.Current is not the HTTP request's activity (and may be none at all).
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
        return activity is not null && activity.TraceId != default ? activity.TraceId.ToHexString() : context.TraceIdentifier;
    }

    /// <summary>Puts the request's correlation id on its response, whoever ends up writing the response.</summary>
    public static void AddToResponse(HttpContext context)
    {
        var id = Of(context);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
    }
}
