using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>
/// The issuer's discovery document and keys are fetched as the host starts, so the first authenticated request makes
/// no request to the issuer; and a fetch at start that fails (an issuer not up yet) starts no back-off, so the first
/// requests once the issuer is up are answered. Counted at the issuer, in this process, whichever host fetches.
/// </summary>
public sealed class IssuerKeysAtStartTests(AzuriteFixture azurite)
{
    /// <summary>Far longer than any test: a back-off started by the fetch at start would refuse every request here.</summary>
    private static readonly Dictionary<string, string?> LongRetryDelay = new() { ["Auth:MetadataRetryDelay"] = "00:10:00" };

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task The_first_authenticated_request_makes_no_issuer_request(ApiHostKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer);

        // Nothing but the start-up fetch can ask for the keys: no request has been sent yet.
        await issuer.JwksRequestsReachedAsync(1).WaitAsync(TimeSpan.FromMinutes(1), ct);
        Assert.Equal(1, issuer.MetadataRequests);

        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        await (await client.GetAsync("api/me", ct)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, issuer.MetadataRequests);
        Assert.Equal(1, issuer.JwksRequests);
    }

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task An_issuer_down_at_start_is_used_as_soon_as_it_is_up(ApiHostKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestIssuer.StartAsync();
        var bringUp = issuer.TakeDown();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, LongRetryDelay);

        // The start-up fetch has been answered as down (a 500 is not retried: one request per attempt).
        await issuer.MetadataRequestsReachedAsync(1).WaitAsync(TimeSpan.FromMinutes(1), ct);
        bringUp();

        for (var i = 0; i < 3; i++)
        {
            using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));
            await (await client.GetAsync("api/me", ct)).ExpectAsync(HttpStatusCode.OK);
        }

        // The first request fetched once for itself; the failed attempt never got as far as the keys.
        Assert.Equal(2, issuer.MetadataRequests);
        Assert.Equal(1, issuer.JwksRequests);
    }
}
