using Microsoft.Extensions.Options;
using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// Counts failed authentications per client address. Once an address has used up its budget, its requests are refused with
/// 429 before any token is parsed, until the budget refills. Successful requests cost nothing.
/// </summary>
/// <remarks>
/// Every validation holds a permit while it runs, and only a failure keeps it: checking the budget first and charging it
/// after the failure would let every validation already in flight through, so a burst of concurrent bad tokens would
/// pass the configured number.
/// </remarks>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly UserRateLimiter? _limiter;

    public FailedAuthenticationLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perMinute = options.Value.FailedAuthenticationsPerMinute;
        _limiter = perMinute > 0 ? new UserRateLimiter(perMinute, perMinute, time) : null;
    }

    /// <summary>
    /// Takes a permit for one validation of this client address's token: null when taken (give it back with
    /// <see cref="Refund"/> unless the validation fails), else the 429 to send.
    /// </summary>
    public IResult? Reserve(HttpContext context)
        => _limiter is not null && !_limiter.TryAcquire(Address(context), out var retryAfter)
            ? Problems.TooManyRequests(UserRateLimiter.Seconds(retryAfter), "this client address after failed authentications")
            : null;

    /// <summary>Gives back the permit <see cref="Reserve"/> took, for a validation that did not fail.</summary>
    public void Refund(HttpContext context) => _limiter?.Refund(Address(context));

    public void Dispose() => _limiter?.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
