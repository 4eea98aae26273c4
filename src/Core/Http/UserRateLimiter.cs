using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Onboarding.Core.Http;

/// <summary>
/// A token bucket per user key (or per any other partition, such as a client address): <c>Burst</c> requests at once, then
/// <c>PermitsPerMinute</c>, refilled continuously. Buckets of users who stopped calling are dropped by the partitioned
/// limiter, so memory follows the active users only. Both hosts share it through Core's endpoint frame.
/// </summary>
public sealed class UserRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _refillTime;

    public UserRateLimiter(IOptions<RateLimitOptions> options)
        : this(options?.Value.PermitsPerMinute ?? throw new ArgumentNullException(nameof(options)), options.Value.Burst)
    {
    }

    public UserRateLimiter(int permitsPerMinute, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(permitsPerMinute / 60.0)),
            ReplenishmentPeriod = permitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / permitsPerMinute),
            QueueLimit = 0,

            // The partitioned limiter replenishes every bucket from one timer.
            AutoReplenishment = false,
        };
        _refillTime = bucket.ReplenishmentPeriod / bucket.TokensPerPeriod;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>Takes one permit for <paramref name="partition"/>; when none is left, says how long until one is.</summary>
    public bool TryAcquire(string partition, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero : RetryAfter(lease);
        return lease.IsAcquired;
    }

    /// <summary>True while <paramref name="partition"/> has a whole permit left, without taking it.</summary>
    public bool HasPermits(string partition, out TimeSpan retryAfter)
    {
        // Not AttemptAcquire(0): the bucket refills continuously, so it reports a fraction of a permit as available.
        var available = _limiter.GetStatistics(partition)?.CurrentAvailablePermits ?? 1;
        retryAfter = available >= 1 ? TimeSpan.Zero : _refillTime;
        return available >= 1;
    }

    /// <summary>Whole seconds for a Retry-After header: at least 1.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Clamp((int)Math.Ceiling(retryAfter.TotalSeconds), 1, 3600);

    public void Dispose() => _limiter.Dispose();

    private static TimeSpan RetryAfter(RateLimitLease lease)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
}
