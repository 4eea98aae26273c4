using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Onboarding.Core;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>
/// While the identity provider is down, junk tokens do not turn into metadata requests: one fetch is in flight at a time,
/// and after it fails requests get the 503 without fetching for Auth:MetadataRetryDelay (counted at a loopback issuer
/// that answers 503; time is a FakeTimeProvider).
/// </summary>
public sealed class IdentityOutageBackoffTests
{
    [Fact]
    public async Task Concurrent_junk_tokens_during_an_outage_cause_at_most_one_metadata_fetch_per_retry_delay()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var down = await DownIssuer.StartAsync();
        await using var minting = await TestIssuer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new AuthOptions { Authority = down.Authority, MetadataRetryDelay = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient();
        var authenticator = new TokenAuthenticator(
            TokenIssuerFactory.Create(options, http, time), Options.Create(options), time, NullLogger<TokenAuthenticator>.Instance);

        async Task<int> UnavailableAsync(int requests)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
            {
                var junk = "Bearer " + minting.Mint(ApiFixture.NewSubject());
                try
                {
                    await authenticator.AuthenticateAsync(junk, ct);
                    return false;
                }
                catch (DependencyUnavailableException)
                {
                    return true;
                }
            }));
            return outcomes.Count(unavailable => unavailable);
        }

        // One fetch is the retriever's request plus the single retry HttpDocumentRetriever makes on a 503; twenty requests
        // would be twenty fetches without the back-off.
        Assert.Equal(20, await UnavailableAsync(20));
        var perFetch = down.Fetches;
        Assert.InRange(perFetch, 1, 2);

        // Within the retry delay nothing is fetched; once it has passed, one fetch again.
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(20, await UnavailableAsync(20));
        Assert.Equal(perFetch, down.Fetches);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(20, await UnavailableAsync(20));
        Assert.Equal(2 * perFetch, down.Fetches);
    }
}
