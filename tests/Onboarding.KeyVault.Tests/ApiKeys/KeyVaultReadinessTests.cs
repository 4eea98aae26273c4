using Onboarding.Core;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

public sealed class KeyVaultReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_readiness_check_lists_one_page_of_names_and_reads_no_secret()
    {
        var handler = new FakeKeyVaultHandler { MaxPageSize = 5 };
        for (var i = 0; i < 12; i++)
        {
            handler.Seed(VaultHarness.SecretName(), $"sk-seeded-{i:D4}");
        }

        var vault = new VaultHarness(handler);

        await vault.Store.CheckReadyAsync(Ct);

        var calls = handler.Requests.Where(r => r.Authenticated).ToList();
        var list = Assert.Single(calls);
        Assert.Equal(KeyVaultOperation.ListSecrets, list.Operation);
        Assert.Equal(200, list.Status);
        Assert.DoesNotContain(handler.Requests, r => r.Operation is KeyVaultOperation.GetSecret or KeyVaultOperation.GetDeletedSecret);
    }

    [Fact]
    public async Task An_empty_vault_is_ready()
    {
        var vault = new VaultHarness();

        await vault.Store.CheckReadyAsync(Ct);
    }

    [Fact]
    public async Task A_vault_that_forbids_the_apps_identity_is_not_ready()
    {
        var vault = new VaultHarness();
        vault.Handler.InjectFault(KeyVaultOperation.ListSecrets, KeyVaultFault.Forbidden());

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.CheckReadyAsync(Ct));

        Assert.Equal("Key Vault", error.Dependency);
    }

    [Fact]
    public async Task A_vault_that_answers_503_is_not_ready()
    {
        var vault = new VaultHarness();
        vault.Handler.InjectFault(KeyVaultOperation.ListSecrets, KeyVaultFault.ServiceUnavailable(retryAfterSeconds: 3));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.CheckReadyAsync(Ct));

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }
}
