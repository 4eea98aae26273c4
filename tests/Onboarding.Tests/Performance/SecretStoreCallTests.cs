using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>Listing keys reads only their index rows: the secret store (Key Vault, billed and throttled per call) is never asked.</summary>
public sealed class SecretStoreCallTests(CountedApiFixture api) : IClassFixture<CountedApiFixture>
{
    private const string GeminiKey = CountedApiFixture.GeminiKey;

    [Theory]
    [InlineData("api/onboarding/api-keys")]
    [InlineData("api/onboarding/api-keys/onboarding")]
    [InlineData("api/onboarding/summary")]
    [InlineData("api/onboarding/step/1")]
    [InlineData("api/onboarding/init")]
    [InlineData("api/me/export")]
    public async Task Listing_keys_makes_no_secret_store_call(string path)
    {
        var (client, _) = api.NewUser();
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey })).ExpectAsync(HttpStatusCode.OK);

        api.Reset();
        var body = await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains("****", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(api.SecretCalls);
        Assert.Equal(["query onboarding"], api.Storage.Requests);
    }
}
