using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>Once the issuer's keys are cached, validating a token makes no network request (counted at the issuer).</summary>
public sealed class IssuerRequestTests(CountedApiFixture api) : IClassFixture<CountedApiFixture>
{
    [Fact]
    public async Task After_warm_up_authenticated_requests_fetch_no_metadata_and_no_keys()
    {
        var (first, _) = api.NewUser();
        await (await first.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        var metadata = api.Issuer.MetadataRequests;
        var jwks = api.Issuer.JwksRequests;
        Assert.Equal(1, metadata);
        Assert.Equal(1, jwks);

        for (var i = 0; i < 50; i++)
        {
            var (client, _) = api.NewUser();
            await (await client.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal(metadata, api.Issuer.MetadataRequests);
        Assert.Equal(jwks, api.Issuer.JwksRequests);
    }
}
