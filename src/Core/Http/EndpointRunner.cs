using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Onboarding.Core.Identity;

namespace Onboarding.Core.Http;

/// <summary>
/// The frame of every protected handler: the authenticated user in, the user's rate limit checked (429), dependency
/// outages out as 503.
/// </summary>
public static partial class EndpointRunner
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

        // Checked here, after authentication, so both hosts apply one policy and the key is the proven user.
        if (context.RequestServices?.GetService<UserRateLimiter>() is { } limiter && !limiter.TryAcquire(user.UserKey, out var retryAfter))
        {
            return Problems.TooManyRequests(UserRateLimiter.Seconds(retryAfter));
        }

        try
        {
            return await handler(user, context.RequestAborted);
        }
        catch (DependencyUnavailableException ex)
        {
            if (context.RequestServices?.GetService<ILoggerFactory>() is { } loggers)
            {
                LogUnavailable(loggers.CreateLogger(typeof(EndpointRunner)), ex, ex.Dependency);
            }

            return Problems.Unavailable(ex);
        }
    }

    /// <summary>The same frame around a typed handler, for a host that calls it itself (the Functions app).</summary>
    public static Task<IResult> RunAsync<TResult>(HttpContext context, Func<CurrentUser, CancellationToken, Task<TResult>> handler)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(context, async (user, cancellationToken) => (IResult)await handler(user, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} is unavailable; answering 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string dependency);
}
