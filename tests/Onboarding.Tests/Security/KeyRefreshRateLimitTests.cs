using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// A token naming an unknown key id makes the Server look for rotated keys, but at most once per
/// Auth:KeyRefreshMinimumInterval: a flood of random key ids cannot turn the Server into a load generator against the
/// identity provider.
/// </summary>
public sealed class KeyRefreshRateLimitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Fifty_tokens_with_random_key_ids_cause_at_most_two_key_fetches()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer, new Dictionary<string, string?>
        {
            ["Auth:KeyRefreshMinimumInterval"] = "00:05:00",
        });
        using var tokens = new ForgedTokens(issuer, other, new Uri("http://127.0.0.1:9/unused"));

        // The first valid request loads the keys once.
        using (var valid = server.WithToken(issuer.Mint(ApiFixture.NewSubject())))
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
                using var client = server.WithToken(tokens.SignedByAttacker("kid-" + Guid.NewGuid().ToString("N")));
                using var response = await client.GetAsync("api/me");
                await TokenAttackTests.ExpectUnauthorizedAsync(response);
            }));
        }

        var fetches = issuer.JwksRequests - fetchesBefore;
        Assert.True(fetches <= 2, $"50 unknown key ids caused {fetches} JWKS fetches; the refresh must be rate-limited.");

        // The issuer's real keys are still trusted afterwards.
        using var after = server.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        await (await after.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_with_key_bearing_headers_cause_no_key_fetch_at_all()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        await using var server = await ApiServer.StartAsync(azurite, issuer);
        using var tokens = new ForgedTokens(issuer, other, new Uri("http://127.0.0.1:9/jwks.json"));
        using (var valid = server.WithToken(issuer.Mint(ApiFixture.NewSubject())))
        {
            await (await valid.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        }

        var before = issuer.JwksRequests + issuer.MetadataRequests;
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // past the test Server's 1 s refresh interval

        foreach (var header in new[] { "jku", "x5u" })
        {
            using var client = server.WithToken(tokens.SignedByAttacker("kid-" + header, h => h[header] = tokens.AttackerUrl.AbsoluteUri));
            await TokenAttackTests.ExpectUnauthorizedAsync(await client.GetAsync("api/me"));
        }

        using (var jwk = server.WithToken(tokens.SignedByAttacker("kid-jwk", h => h["jwk"] = tokens.AttackerJwk("kid-jwk"))))
        {
            await TokenAttackTests.ExpectUnauthorizedAsync(await jwk.GetAsync("api/me"));
        }

        Assert.Equal(before, issuer.JwksRequests + issuer.MetadataRequests);
    }
}
