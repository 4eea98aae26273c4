using Microsoft.Extensions.Options;
using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// Counts failed authentications per client address. Once an address has used up its budget, its requests are refused with
/// 429 before any token is parsed, until the budget refills. Successful requests cost nothing.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly UserRateLimiter? _limiter;

    public FailedAuthenticationLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perMinute = options.Value.FailedAuthenticationsPerMinute;
        _limiter = perMinute > 0 ? new UserRateLimiter(perMinute, perMinute, time) : null;
    }

    /// <summary>Null while the client may still try; else the 429 to send.</summary>
    public IResult? Check(HttpContext context)
        => _limiter is not null && !_limiter.HasPermits(Address(context), out var retryAfter)
            ? Problems.TooManyRequests(UserRateLimiter.Seconds(retryAfter), "this client address after failed authentications")
            : null;

    public void RecordFailure(HttpContext context) => _limiter?.TryAcquire(Address(context), out _);

    public void Dispose() => _limiter?.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
