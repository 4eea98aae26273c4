using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// How the Functions worker reaches the vault: with its own managed identity (the App Service token endpoint, asked for
/// the vault's resource) and through the proxy's tunnel to the one vault host, never anywhere else.
/// </summary>
[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultWorkerIdentityTests(FunctionsKeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task The_worker_gets_its_vault_token_from_the_managed_identity_endpoint_and_reaches_the_vault_through_the_tunnel()
    {
        var loopback = Api.Loopback!;
        var user = Api.NewUser();
        var key = Api.NewKey("openai");

        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = key })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(key, Vault.Find(user.SecretName("openai"))?.Value);
        Assert.NotEmpty(loopback.TokenRequests);
        Assert.All(loopback.TokenRequests, resource => Assert.Equal("https://vault.azure.net", resource.TrimEnd('/')));
        Assert.True(loopback.Proxy.Tunnels > 0, "The worker reached the vault without the proxy's tunnel.");
        Assert.Equal(0, loopback.Proxy.Refusals);
    }
}
