using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Onboarding.Core.Http;

/// <summary>
/// A token bucket per user key (or per any other partition, such as a client address): <c>Burst</c> requests at once, then
/// exactly <c>PermitsPerMinute</c> a minute, refilled continuously. Both hosts share it through Core's endpoint frame.
/// </summary>
/// <remarks>
/// The bucket counts in integer "permit ticks" (one permit is one minute's worth of ticks, and every elapsed tick adds
/// <c>PermitsPerMinute</c> of them), so the sustained rate is the configured one with no rounding: 89 a minute is 89, not
/// 60 or 120. Time comes from <see cref="TimeProvider"/> so tests can drive it. Buckets that have filled up again are
/// dropped now and then, so memory follows the active partitions only.
/// </remarks>
public sealed class UserRateLimiter : IDisposable
{
    private static readonly long PermitCost = TimeSpan.TicksPerMinute;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _perMinute;
    private readonly long _capacity;
    private readonly long _ceiling;
    private long _nextSweep;

    public UserRateLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
        : this(options?.Value.PermitsPerMinute ?? throw new ArgumentNullException(nameof(options)), options.Value.Burst, time)
    {
    }

    public UserRateLimiter(int permitsPerMinute, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _perMinute = permitsPerMinute;
        _capacity = burst * PermitCost;

        // A permit falls due part-way through a tick; the fill may pass the bucket's size by less than one tick's worth, so a
        // caller who waits exactly the Retry-After it was given loses nothing to rounding.
        _ceiling = _capacity + _perMinute - 1;
        _nextSweep = Now() + SweepInterval.Ticks;
    }

    /// <summary>Takes one permit for <paramref name="partition"/>; when none is left, says how long until one is.</summary>
    public bool TryAcquire(string partition, out TimeSpan retryAfter)
    {
        var now = Now();
        Sweep(now);
        while (true)
        {
            var bucket = _buckets.GetOrAdd(partition, _ => new Bucket(_capacity, now));
            lock (bucket)
            {
                // A sweep dropped it between the lookup and the lock: take the permit from its replacement.
                if (bucket.Dropped)
                {
                    continue;
                }

                var level = Refill(bucket, now);
                if (level >= PermitCost)
                {
                    bucket.Level = level - PermitCost;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = UntilOnePermit(level);
                return false;
            }
        }
    }

    /// <summary>
    /// Gives back a permit taken with <see cref="TryAcquire"/> for something that turned out not to count, never filling the
    /// bucket past its size. A bucket dropped meanwhile was full again, so there is nothing to give back to.
    /// </summary>
    public void Refund(string partition)
    {
        if (!_buckets.TryGetValue(partition, out var bucket))
        {
            return;
        }

        lock (bucket)
        {
            if (!bucket.Dropped)
            {
                bucket.Level = Math.Min(_ceiling, Refill(bucket, Now()) + PermitCost);
            }
        }
    }

    /// <summary>Whole seconds for a Retry-After header: at least 1.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Clamp((int)Math.Ceiling(retryAfter.TotalSeconds), 1, 3600);

    public void Dispose() => _buckets.Clear();

    private long Now() => _time.GetUtcNow().UtcTicks;

    // Brings the bucket up to date and returns its level; the caller holds its lock.
    private long Refill(Bucket bucket, long now)
    {
        var elapsed = now - bucket.Updated;
        if (elapsed > 0)
        {
            // Capped before multiplying: filling the bucket takes at most _capacity / _perMinute ticks, so the product stays in range.
            var needed = (_capacity - bucket.Level + _perMinute - 1) / _perMinute;
            bucket.Level = Math.Max(bucket.Level, Math.Min(_ceiling, bucket.Level + (Math.Max(0, Math.Min(elapsed, needed)) * _perMinute)));
            bucket.Updated = now;
        }

        return bucket.Level;
    }

    private TimeSpan UntilOnePermit(long level) => TimeSpan.FromTicks((PermitCost - level + _perMinute - 1) / _perMinute);

    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + SweepInterval.Ticks, due) != due)
        {
            return;
        }

        foreach (var (partition, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (Refill(bucket, now) >= _capacity)
                {
                    bucket.Dropped = true;
                    _buckets.TryRemove(new KeyValuePair<string, Bucket>(partition, bucket));
                }
            }
        }
    }

    private sealed class Bucket(long level, long updated)
    {
        public long Level { get; set; } = level;

        public long Updated { get; set; } = updated;

        public bool Dropped { get; set; }
    }
}
