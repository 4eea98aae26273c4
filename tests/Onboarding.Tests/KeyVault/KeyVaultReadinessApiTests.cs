using System.Net;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>GET /api/health/ready with Key Vault: the vault must answer this identity, and no user secret is read to find out.</summary>
public abstract class KeyVaultReadinessApiTests(KeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task Ready_lists_one_page_of_secret_names_with_the_apps_identity_and_reads_no_secret()
    {
        var user = Api.NewUser();
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);
        var before = Vault.Requests.Count;

        var ready = await (await Api.Host.Client().GetAsync("api/health/ready")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal("ok", ready["checks"]!["secrets"]!.GetValue<string>());
        var made = Vault.Requests.Skip(before).ToArray();
        Assert.NotEmpty(made);
        Assert.All(made, r => Assert.Equal(KeyVaultOperation.ListSecrets, r.Operation));
        Assert.All(made, r => Assert.True(r.Authenticated));
        Assert.DoesNotContain(user.UserKey, ready.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vault_that_refuses_the_apps_identity_makes_ready_answer_503()
    {
        Vault.InjectFault(KeyVaultOperation.ListSecrets, KeyVaultFault.Forbidden(), times: 1);
        var response = await Api.Host.Client().GetAsync("api/health/ready");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("Key Vault", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task An_unreachable_vault_makes_ready_answer_503()
    {
        // Until cleared: over a real socket (the worker's), HttpClient itself replays a request whose pooled connection
        // was dropped before any answer, so a fixed number of drops would not outlast the SDK's retries there.
        Vault.InjectFault(KeyVaultFault.ConnectionFailure(), r => r.Operation == KeyVaultOperation.ListSecrets);
        var response = await Api.Host.Client().GetAsync("api/health/ready");

        await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);

        // Once the vault answers again, so does readiness.
        Vault.ClearFaults();
        await (await Api.Host.Client().GetAsync("api/health/ready")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Liveness_does_not_touch_the_vault()
    {
        var before = Vault.Requests.Count;
        await (await Api.Host.Client().GetAsync("api/health")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before, Vault.Requests.Count);
    }
}

[Collection(KeyVaultApiGroup.Name)]
public sealed class KeyVaultReadinessApiTestsOnServer(KeyVaultApiFixture api) : KeyVaultReadinessApiTests(api);

[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultReadinessApiTestsOnFunctions(FunctionsKeyVaultApiFixture api) : KeyVaultReadinessApiTests(api);
