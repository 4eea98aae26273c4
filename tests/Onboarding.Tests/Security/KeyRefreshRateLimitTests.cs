using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// A token naming an unknown key id makes the host look for rotated keys, but at most once per
/// Auth:KeyRefreshMinimumInterval: a flood of random key ids cannot turn the service into a load generator against the
/// identity provider. The refresh is Core's, so both hosts are held to it; the JWKS requests are counted at the issuer,
/// in this process, whichever host makes them.
/// </summary>
public sealed class KeyRefreshRateLimitTests(AzuriteFixture azurite)
{
    /// <summary>Long enough that no second refresh can fall due during a test: the budget is exactly one refresh.</summary>
    private static readonly Dictionary<string, string?> OneRefreshPerTest = new() { ["Auth:KeyRefreshMinimumInterval"] = "00:05:00" };

    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task Fifty_tokens_with_random_key_ids_cause_at_most_two_key_fetches(ApiHostKind kind)
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, OneRefreshPerTest);
        using var tokens = new ForgedTokens(issuer, other, new Uri("http://127.0.0.1:9/unused"));

        // The first valid request loads the keys once.
        using (var valid = host.WithToken(issuer.Mint(ApiFixture.NewSubject())))
        {
            await (await valid.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        }

        var fetchesBefore = issuer.JwksRequests;
        Assert.Equal(1, fetchesBefore);

        // Fifty forged kids, ten at a time, as a flood would arrive.
        foreach (var batch in Enumerable.Range(0, 50).Chunk(10))
        {
            await Task.WhenAll(batch.Select(async _ =>
            {
                using var client = host.WithToken(tokens.SignedByAttacker("kid-" + Guid.NewGuid().ToString("N")));
                using var response = await client.GetAsync("api/me");
                await TokenAttackTests.ExpectUnauthorizedAsync(response);
            }));
        }

        var fetches = issuer.JwksRequests - fetchesBefore;
        Assert.True(fetches <= 2, $"50 unknown key ids caused {fetches} JWKS fetches; the refresh must be rate-limited.");

        // The issuer's real keys are still trusted afterwards.
        using var after = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        await (await after.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
    }

    /// <remarks>
    /// Loading the keys for the first valid token is not a refresh: the first refresh request is honoured at once, and
    /// then none for five minutes. So while the key-bearing tokens arrive a refresh would be honoured, and the control
    /// token after them, an unknown key id in a plain header, must still get the one refresh: had a key-bearing token
    /// asked for one, the budget would be spent and the control would cause no fetch.
    /// </remarks>
    [Theory]
    [InlineData(ApiHostKind.Server)]
    [InlineData(ApiHostKind.Functions)]
    public async Task Tokens_with_key_bearing_headers_cause_no_key_fetch_at_all(ApiHostKind kind)
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        await using var host = await ApiHosts.StartAsync(kind, azurite, issuer, OneRefreshPerTest);
        using var tokens = new ForgedTokens(issuer, other, new Uri("http://127.0.0.1:9/jwks.json"));
        using (var valid = host.WithToken(issuer.Mint(ApiFixture.NewSubject())))
        {
            await (await valid.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        }

        var metadataBefore = issuer.MetadataRequests;
        var jwksBefore = issuer.JwksRequests;
        foreach (var header in new[] { "jku", "x5u" })
        {
            using var client = host.WithToken(tokens.SignedByAttacker("kid-" + header, h => h[header] = tokens.AttackerUrl.AbsoluteUri));
            await TokenAttackTests.ExpectUnauthorizedAsync(await client.GetAsync("api/me"));
        }

        using (var jwk = host.WithToken(tokens.SignedByAttacker("kid-jwk", h => h["jwk"] = tokens.AttackerJwk("kid-jwk"))))
        {
            await TokenAttackTests.ExpectUnauthorizedAsync(await jwk.GetAsync("api/me"));
        }

        Assert.Equal(jwksBefore, issuer.JwksRequests);

        // The control: the refresh runs in the background, so wait for its fetch to reach the issuer.
        using (var control = host.WithToken(tokens.SignedByAttacker("kid-control")))
        {
            await TokenAttackTests.ExpectUnauthorizedAsync(await control.GetAsync("api/me"));
        }

        await issuer.JwksRequestsReachedAsync(jwksBefore + 1).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.Equal(jwksBefore + 1, issuer.JwksRequests);
        Assert.Equal(metadataBefore + 1, issuer.MetadataRequests);
    }
}
