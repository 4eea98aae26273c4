using Azure;
using Azure.Security.KeyVault.Secrets;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

/// <summary>The fake answers the real SecretClient the way Key Vault does, beyond what the store itself uses.</summary>
public sealed class FakeKeyVaultHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Listing_follows_next_links_until_every_secret_is_seen_and_never_returns_values()
    {
        var handler = new FakeKeyVaultHandler { MaxPageSize = 2 };
        var names = Enumerable.Range(0, 5).Select(_ => VaultHarness.SecretName()).ToList();
        names.ForEach(n => handler.Seed(n, "sk-seeded-0001", new Dictionary<string, string> { ["provider"] = "openai" }));
        var vault = new VaultHarness(handler);

        var listed = new List<SecretProperties>();
        await foreach (var properties in vault.Client.GetPropertiesOfSecretsAsync(Ct))
        {
            listed.Add(properties);
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(p => p.Name));
        Assert.All(listed, p => Assert.Equal("openai", p.Tags["provider"]));
        Assert.Equal(3, handler.Calls(KeyVaultOperation.ListSecrets).Count);
    }

    [Fact]
    public async Task A_specific_version_reads_that_version()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        var first = await vault.Client.SetSecretAsync(name, "sk-version-0001", Ct);
        await vault.Client.SetSecretAsync(name, "sk-version-0002", Ct);

        var read = await vault.Client.GetSecretAsync(name, first.Value.Properties.Version, Ct);

        Assert.Equal("sk-version-0001", read.Value.Value);
    }

    [Fact]
    public async Task A_deleted_secret_is_visible_as_deleted_with_its_recovery_id_and_purge_date()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        await vault.Client.SetSecretAsync(name, "sk-deleted-0001", Ct);

        var deletion = await vault.Client.StartDeleteSecretAsync(name, Ct);
        await deletion.WaitForCompletionAsync(TimeSpan.FromMilliseconds(1), Ct);
        DeletedSecret deleted = await vault.Client.GetDeletedSecretAsync(name, Ct);

        Assert.Equal(new Uri(vault.Handler.VaultUri, $"deletedsecrets/{name}"), deleted.RecoveryId);
        Assert.NotNull(deleted.DeletedOn);
        Assert.True(deleted.ScheduledPurgeDate > deleted.DeletedOn);
        Assert.Null(deleted.Value);
    }

    [Fact]
    public async Task Writing_a_soft_deleted_name_answers_the_conflict_key_vault_answers()
    {
        var handler = new FakeKeyVaultHandler();
        var name = VaultHarness.SecretName();
        handler.Seed(name, "sk-deleted-0001", deleted: true);
        var vault = new VaultHarness(handler);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vault.Client.SetSecretAsync(name, "sk-new-0001", Ct));

        Assert.Equal(409, error.Status);
        Assert.Equal("Conflict", error.ErrorCode);
        var body = error.GetRawResponse()!.Content.ToString();
        Assert.Contains("\"innererror\":{\"code\":\"ObjectIsDeletedButRecoverable\"}", body, StringComparison.Ordinal);
        Assert.Contains("is currently in a deleted but recoverable state", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_secret_answers_secret_not_found()
    {
        var vault = new VaultHarness();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vault.Client.GetSecretAsync(VaultHarness.SecretName(), cancellationToken: Ct));

        Assert.Equal(404, error.Status);
        Assert.Equal("SecretNotFound", error.ErrorCode);
    }
}
