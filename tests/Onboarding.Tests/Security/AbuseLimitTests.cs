using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Onboarding.Core.Http;
using Onboarding.Tests.Consistency;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// Per-user rate limits (Core's endpoint frame, so both hosts), the failed-authentication limit per client address and
/// body size limits (the Server's transport hardening).
/// </summary>
/// <remarks>
/// The failed-authentication limit is Server-only by design: the Functions worker receives every request from the
/// Functions host over the host's own connection, so a limit keyed by the client address would put every caller in one
/// bucket (see docs/security.md). Its tests therefore run on the Server only.
/// </remarks>
public sealed class AbuseLimitTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task A_user_over_the_rate_limit_gets_429_with_Retry_After_before_storage_is_read(ApiHostKind kind)
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var storage = await StorageFaultProxy.StartAsync(azurite);
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["RateLimit:PermitsPerMinute"] = "1",
            ["RateLimit:Burst"] = "3",
        });
        using var alice = host.WithToken(issuer.Mint(ApiFixture.NewSubject("alice")));
        using var bob = host.WithToken(issuer.Mint(ApiFixture.NewSubject("bob")));

        for (var i = 0; i < 3; i++)
        {
            await (await alice.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        }

        var before = storage.Requests;
        using var limited = await alice.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1);
        var problem = await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.EndsWith("/rate-limited", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After was '{limited.Headers.RetryAfter}'.");
        Assert.Equal(before, storage.Requests);

        // The limit is per user: Bob is unaffected, and a caller without a valid token still gets a 401.
        await (await bob.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = host.Client();
        await TokenAttackTests.ExpectUnauthorizedAsync(await anonymous.GetAsync("api/onboarding/init"));
    }

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task Concurrent_requests_of_one_user_get_exactly_the_burst(ApiHostKind kind)
    {
        const int burst = 5;
        const int attempts = 4 * burst;
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerMinute"] = "1",
            ["RateLimit:Burst"] = burst.ToString(CultureInfo.InvariantCulture),
        });
        using var alice = host.WithToken(issuer.Mint(ApiFixture.NewSubject("alice")));

        // All at once, the first ones waiting together for the issuer's keys: each permit is taken as it is checked.
        var statuses = await Task.WhenAll(Enumerable.Range(0, attempts).Select(async _ =>
        {
            using var response = await alice.GetAsync("api/me", TestContext.Current.CancellationToken);
            return response.StatusCode;
        }));

        Assert.Equal(burst, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(attempts - burst, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    /// <remarks>
    /// The Server only: the refill is driven by a FakeTimeProvider in the host's container, and the worker runs in its
    /// own process on the real clock, which a test must not wait for. The refill arithmetic both hosts share is proved
    /// in <see cref="RateLimitPrecisionTests"/>.
    /// </remarks>
    [Fact]
    public async Task A_limited_user_may_go_on_once_the_bucket_refills()
    {
        // The limiter reads the host's TimeProvider: a fake one makes the refill exact and the test independent of the clock.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerMinute"] = "120",
            ["RateLimit:Burst"] = "1",
        }, builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var alice = server.WithToken(issuer.Mint(ApiFixture.NewSubject("alice")));

        // Two a second with a bucket of one: the second request at the same instant is refused...
        await (await alice.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        using var refused = await alice.GetAsync("api/me");
        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);

        // ...still refused a tick before the next permit is due, and let through from the moment it is.
        time.Advance(TimeSpan.FromMilliseconds(500) - TimeSpan.FromTicks(1));
        await (await alice.GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        time.Advance(TimeSpan.FromTicks(1));
        await (await alice.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        await (await alice.GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_client_address_with_too_many_failed_authentications_is_refused_with_429()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["RateLimit:FailedAuthenticationsPerMinute"] = "3",
        });
        using var forged = server.WithToken(issuer.Mint(ApiFixture.NewSubject(), d => d.Audience = "another-api"));
        using var valid = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        using var anonymous = server.Client();

        await (await valid.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++)
        {
            await TokenAttackTests.ExpectUnauthorizedAsync(await forged.GetAsync("api/me"));
        }

        using var refused = await forged.GetAsync("api/me");
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("client address", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After was '{refused.Headers.RetryAfter}'.");

        // The address is refused as a whole until its budget refills, valid token or not; anonymous health stays up.
        await (await valid.GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        await (await anonymous.GetAsync("api/health")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Concurrent_bad_tokens_get_exactly_the_configured_number_of_failed_authentications()
    {
        const int limit = 10;
        const int attempts = 3 * limit;

        // The limiter's clock stands still, so no permit comes back while the burst is in flight.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tracker = new RequestTracker();
        await using var issuer = await TestIssuer.StartAsync();

        // The issuer holds its discovery document, from before the Server starts, until every request has reached the
        // Server: the keys fetch the Server starts with stays in flight, so the validations that were let in all wait for
        // the keys, then all fail together.
        var release = issuer.HoldMetadata();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["RateLimit:FailedAuthenticationsPerMinute"] = limit.ToString(CultureInfo.InvariantCulture),
        }, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSingleton<IStartupFilter>(tracker);
        });
        using var forged = server.WithToken(issuer.Mint(ApiFixture.NewSubject(), d => d.Audience = "another-api"));

        var sent = Enumerable.Range(0, attempts).Select(_ => forged.GetAsync("api/me", TestContext.Current.CancellationToken)).ToArray();
        await tracker.WhenEnteredAsync(attempts).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        release();

        var statuses = new List<HttpStatusCode>();
        foreach (var response in await Task.WhenAll(sent))
        {
            statuses.Add(response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(attempts - limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Answers_503_while_the_identity_provider_is_down_count_as_failed_authentications()
    {
        await using var down = await DownIssuer.StartAsync();
        await using var minting = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, minting, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = down.Authority,
            ["Auth:MetadataRetryDelay"] = "00:10:00",
            ["RateLimit:FailedAuthenticationsPerMinute"] = "3",
        });
        using var junk = server.WithToken(minting.Mint(ApiFixture.NewSubject()));

        for (var i = 0; i < 3; i++)
        {
            await (await junk.GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        }

        await (await junk.GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Successful_requests_do_not_use_up_the_failed_authentication_budget()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["RateLimit:FailedAuthenticationsPerMinute"] = "2",
        });
        using var valid = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));

        for (var i = 0; i < 10; i++)
        {
            await (await valid.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Bodies_over_one_MiB_get_413_ProblemDetails_whether_announced_or_streamed()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer);
        using var client = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        var body = "{\"note\":\"" + new string('x', JsonBody.MaxBytes + 1024) + "\"}";

        // Off a raw socket, announced and streamed: the body is refused while the client is still sending it.
        (string, string)[] authorization = [("Authorization", client.DefaultRequestHeaders.Authorization!.ToString())];
        var announced = await RawHttp.SendAsync(server.BaseAddress, "PUT", "/api/onboarding/step/2", authorization, body);
        announced.ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "too-large");

        var streamed = await RawHttp.SendChunkedAsync(server.BaseAddress, "PUT", "/api/onboarding/step/2", authorization, System.Text.Encoding.UTF8.GetBytes(body));
        streamed.ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "too-large");

        var kestrel = server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(JsonBody.MaxBytes, kestrel.Limits.MaxRequestBodySize);
    }
}
