using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Onboarding.Core.Http;
using Onboarding.Server;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// The configured rate is the rate: over a simulated minute a drained bucket grants exactly PermitsPerMinute permits,
/// for rates that do not divide into whole permits a second too. Time is a FakeTimeProvider, so nothing sleeps.
/// </summary>
public sealed class RateLimitPrecisionTests
{
    [Theory]
    [InlineData(90, 1)]
    [InlineData(89, 1)]
    [InlineData(100, 1)]
    [InlineData(90, 90)]
    [InlineData(89, 30)]
    [InlineData(1, 1)]
    public void A_drained_user_bucket_grants_exactly_the_configured_permits_per_minute(int perMinute, int burst)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var limiter = new UserRateLimiter(perMinute, burst, time);

        Assert.Equal(burst, Drain(limiter, "alice"));
        Assert.Equal(perMinute, GrantedOverOneMinute(time, limiter, "alice"));

        // The next minute grants the same again: the rate holds, not only its first window.
        Assert.Equal(perMinute, GrantedOverOneMinute(time, limiter, "alice"));
    }

    [Fact]
    public void A_refused_permit_says_when_the_next_one_is_due()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var limiter = new UserRateLimiter(89, 1, time);
        Drain(limiter, "alice");

        Assert.False(limiter.TryAcquire("alice", out var retryAfter));
        Assert.Equal(TimeSpan.FromTicks((TimeSpan.TicksPerMinute + 88) / 89), retryAfter);
        time.Advance(retryAfter - TimeSpan.FromTicks(1));
        Assert.False(limiter.TryAcquire("alice", out _));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(limiter.TryAcquire("alice", out _));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(89)]
    [InlineData(90)]
    public void A_client_address_may_fail_authentication_exactly_the_configured_times_a_minute(int perMinute)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var failures = new FailedAuthenticationLimiter(Options.Create(new RateLimitOptions { FailedAuthenticationsPerMinute = perMinute }), time);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        // Each attempt the limiter lets through fails authentication and keeps its permit, as in the Server's middleware.
        bool Attempt() => failures.Reserve(context) is null;

        var first = 0;
        while (Attempt())
        {
            first++;
        }

        Assert.Equal(perMinute, first);
        Assert.Equal(perMinute, GrantedOverOneMinute(time, Attempt));
    }

    [Fact]
    public void Validations_in_flight_hold_the_failed_authentication_budget_and_successes_give_it_back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var failures = new FailedAuthenticationLimiter(Options.Create(new RateLimitOptions { FailedAuthenticationsPerMinute = 3 }), time);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        // Three validations running at once take the whole budget: a fourth is refused before any of them has failed.
        Assert.Null(failures.Reserve(context));
        Assert.Null(failures.Reserve(context));
        Assert.Null(failures.Reserve(context));
        Assert.NotNull(failures.Reserve(context));

        // One succeeds and gives its permit back, once: the address may try once more, and no more.
        failures.Refund(context);
        Assert.Null(failures.Reserve(context));
        Assert.NotNull(failures.Reserve(context));
    }

    [Fact]
    public void A_refund_never_fills_a_bucket_past_its_size()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var limiter = new UserRateLimiter(60, 2, time);

        Assert.True(limiter.TryAcquire("alice", out _));
        limiter.Refund("alice");
        limiter.Refund("alice");
        Assert.Equal(2, Drain(limiter, "alice"));
    }

    private static int Drain(UserRateLimiter limiter, string partition)
    {
        var granted = 0;
        while (limiter.TryAcquire(partition, out _))
        {
            granted++;
        }

        return granted;
    }

    // Advances a simulated minute, each time to the moment the limiter says the next permit is due, and takes every permit.
    private static int GrantedOverOneMinute(FakeTimeProvider time, UserRateLimiter limiter, string partition)
    {
        var granted = 0;
        var left = TimeSpan.FromMinutes(1);
        while (true)
        {
            if (limiter.TryAcquire(partition, out var retryAfter))
            {
                granted++;
                continue;
            }

            if (left == TimeSpan.Zero)
            {
                return granted;
            }

            var step = retryAfter < left ? retryAfter : left;
            time.Advance(step);
            left -= step;
        }
    }

    // Advances a simulated minute in 100 ms steps, taking every permit each step makes available.
    private static int GrantedOverOneMinute(FakeTimeProvider time, Func<bool> attempt)
    {
        var granted = 0;
        for (var step = 0; step < 600; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            while (attempt())
            {
                granted++;
            }
        }

        return granted;
    }
}
