using Onboarding.Core;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

public sealed class KeyVaultSecretStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stored_key_reads_back_is_replaced_by_a_new_set_and_is_gone_after_delete()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();

        await vault.Store.SetAsync(name, "sk-first-0001", VaultHarness.Tags(name), Ct);
        Assert.Equal("sk-first-0001", await vault.Store.GetAsync(name, Ct));

        await vault.Store.SetAsync(name, "sk-second-0002", VaultHarness.Tags(name), Ct);
        Assert.Equal("sk-second-0002", await vault.Store.GetAsync(name, Ct));
        Assert.Equal(2, vault.Handler.Find(name)!.VersionCount);

        await vault.Store.DeleteAsync(name, Ct);
        Assert.Null(await vault.Store.GetAsync(name, Ct));
        Assert.Equal("Deleted", vault.Handler.StateOf(name));
    }

    [Fact]
    public async Task Set_sends_a_text_plain_content_type_and_the_user_and_provider_tags()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName("anthropic");

        await vault.Store.SetAsync(name, "sk-ant-123456", VaultHarness.Tags(name, "anthropic"), Ct);

        var stored = vault.Handler.Find(name)!;
        Assert.Equal("text/plain", stored.ContentType);
        Assert.Equal(VaultHarness.Tags(name, "anthropic"), stored.Tags);
    }

    [Fact]
    public async Task Get_of_a_secret_that_was_never_set_returns_null()
    {
        var vault = new VaultHarness();

        Assert.Null(await vault.Store.GetAsync(VaultHarness.SecretName(), Ct));
    }

    [Fact]
    public async Task Delete_of_a_missing_secret_succeeds_and_deleting_twice_is_harmless()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();

        await vault.Store.DeleteAsync(name, Ct);

        await vault.Store.SetAsync(name, "sk-abc-0001", VaultHarness.Tags(name), Ct);
        await vault.Store.DeleteAsync(name, Ct);
        await vault.Store.DeleteAsync(name, Ct);

        Assert.Null(await vault.Store.GetAsync(name, Ct));
        Assert.Equal([404, 200, 404], vault.Handler.Calls(KeyVaultOperation.DeleteSecret).Select(r => r.Status));
    }

    [Fact]
    public async Task The_first_call_meets_the_bearer_challenge_and_the_credential_is_asked_for_the_vault_scope()
    {
        // The SDK caches a vault's challenge for the whole process, so this test gets a vault host of its own.
        var handler = new FakeKeyVaultHandler(new Uri($"https://challenge-{Guid.NewGuid():N}.vault.azure.net/"));
        var vault = new VaultHarness(handler);
        var name = VaultHarness.SecretName();

        await vault.Store.SetAsync(name, "sk-challenge-01", VaultHarness.Tags(name), Ct);

        // The challenge, the write, then the listing of versions (older ones are disabled).
        var requests = handler.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(KeyVaultOperation.ListSecretVersions, requests[2].Operation);
        Assert.False(requests[0].Authenticated);
        Assert.False(requests[0].HasBody); // the value is not sent until the vault has said how to authenticate
        Assert.Equal(401, requests[0].Status);
        Assert.True(requests[1].Authenticated);
        Assert.Equal(200, requests[1].Status);

        var token = Assert.Single(vault.Credential.Requests);
        Assert.Equal(["https://vault.azure.net/.default"], token.Scopes);
        Assert.Equal(FakeKeyVaultHandler.DefaultTenantId, token.TenantId);
    }

    [Fact]
    public async Task Setting_a_deleted_key_again_recovers_the_soft_deleted_secret_then_writes_the_new_value()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);
        await vault.Store.DeleteAsync(name, Ct);
        vault.Handler.RecoverySteps = 3;

        await vault.Store.SetAsync(name, "sk-new-000002", VaultHarness.Tags(name), Ct);

        Assert.Equal("sk-new-000002", await vault.Store.GetAsync(name, Ct));
        var sets = vault.Handler.Calls(KeyVaultOperation.SetSecret);
        Assert.Equal([200, 409, 200], sets.Select(r => r.Status));
        Assert.Single(vault.Handler.Calls(KeyVaultOperation.RecoverDeletedSecret));

        // The recovery was waited for: the SDK polled the secret until it was back (404 x3, then 200).
        var polls = vault.Handler.Calls(KeyVaultOperation.GetSecret).Select(r => r.Status).ToList();
        Assert.Equal([404, 404, 404, 200, 200], polls);
    }

    [Fact]
    public async Task Setting_a_name_whose_deletion_is_still_running_waits_for_it_then_recovers_and_writes()
    {
        var vault = new VaultHarness(configure: o => o.DeleteCompletionTimeout = TimeSpan.Zero);
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);
        vault.Handler.DeletionSteps = 3;
        // Every request on the name moves the deletion on, and how many completion polls the store sends before its
        // zero timeout stops it is up to the timer: failing the polls keeps them from moving it, so the write below
        // always meets the deletion still running.
        vault.Handler.InjectFault(KeyVaultOperation.GetDeletedSecret, KeyVaultFault.ServiceUnavailable());
        await vault.Store.DeleteAsync(name, Ct);
        vault.Handler.ClearFaults();
        Assert.Equal("BeingDeleted", vault.Handler.StateOf(name));

        await vault.Store.SetAsync(name, "sk-new-000002", VaultHarness.Tags(name), Ct);

        Assert.Equal("sk-new-000002", await vault.Store.GetAsync(name, Ct));
        var conflicts = vault.Handler.Calls(KeyVaultOperation.SetSecret).Count(r => r.Status == 409);
        Assert.True(conflicts >= 2, $"expected the write to meet 'being deleted' and then 'deleted but recoverable', saw {conflicts} conflicts");
        Assert.Single(vault.Handler.Calls(KeyVaultOperation.RecoverDeletedSecret), r => r.Status == 200);
    }

    [Fact]
    public async Task A_write_that_meets_a_recovery_in_progress_is_retried_until_the_name_is_writable()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Conflict("ObjectIsBeingRecovered"), times: 2);

        await vault.Store.SetAsync(name, "sk-after-wait1", VaultHarness.Tags(name), Ct);

        Assert.Equal("sk-after-wait1", vault.Handler.Find(name)!.Value);
        Assert.Equal([409, 409, 200], vault.Handler.Calls(KeyVaultOperation.SetSecret).Select(r => r.Status));
    }

    [Fact]
    public async Task A_name_that_stays_in_deletion_makes_the_write_give_up_with_dependency_unavailable_in_bounded_time()
    {
        var vault = new VaultHarness(configure: o =>
        {
            o.DeleteCompletionTimeout = TimeSpan.Zero;
            o.RecoveryTimeout = TimeSpan.FromMilliseconds(200);
            o.PollingInterval = TimeSpan.FromMilliseconds(20);
        });
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);
        vault.Handler.DeletionSteps = 100_000;
        await vault.Store.DeleteAsync(name, Ct);

        var started = TimeProvider.System.GetTimestamp();
        var error = await Assert.ThrowsAsync<Onboarding.Core.DependencyUnavailableException>(
            () => vault.Store.SetAsync(name, "sk-new-000002", VaultHarness.Tags(name), Ct));

        Assert.Equal("Key Vault", error.Dependency);
        // Not given up early and bounded: each attempt after a conflict waits a polling interval, so at most
        // RecoveryTimeout / PollingInterval retries fit before it gives up. The runtime's timers count whole
        // milliseconds, so a wait can end up to 1 ms before the stopwatch says it is due: one more retry can fit.
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(150));
        var attempts = vault.Handler.Calls(KeyVaultOperation.SetSecret).Count - 1; // the first is the old key's write
        var retries = (int)Math.Ceiling(vault.Options.RecoveryTimeout / (vault.Options.PollingInterval - TimeSpan.FromMilliseconds(1)));
        Assert.InRange(attempts, 2, retries + 1);
    }

    [Fact]
    public async Task Delete_waits_until_the_vault_has_finished_the_soft_delete()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-abc-0001", VaultHarness.Tags(name), Ct);
        vault.Handler.DeletionSteps = 2;

        await vault.Store.DeleteAsync(name, Ct);

        Assert.Equal("Deleted", vault.Handler.StateOf(name));
        Assert.Equal([404, 404, 200], vault.Handler.Calls(KeyVaultOperation.GetDeletedSecret).Select(r => r.Status));
    }

    [Fact]
    public async Task A_delete_the_vault_accepted_succeeds_even_when_polling_its_progress_fails()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-abc-0001", VaultHarness.Tags(name), Ct);
        vault.Handler.InjectFault(KeyVaultOperation.GetDeletedSecret, KeyVaultFault.ServiceUnavailable());

        await vault.Store.DeleteAsync(name, Ct);

        Assert.Null(vault.Handler.Find(name));
        Assert.Equal([200], vault.Handler.Calls(KeyVaultOperation.DeleteSecret).Select(r => r.Status));
        Assert.All(vault.Handler.Calls(KeyVaultOperation.GetDeletedSecret), r => Assert.Equal(503, r.Status));
        Assert.Contains(vault.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_on_a_vault_without_soft_delete_does_not_poll()
    {
        var vault = new VaultHarness(new FakeKeyVaultHandler { SoftDeleteEnabled = false });
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-abc-0001", VaultHarness.Tags(name), Ct);

        await vault.Store.DeleteAsync(name, Ct);

        Assert.Null(vault.Handler.StateOf(name));
        Assert.Empty(vault.Handler.Calls(KeyVaultOperation.GetDeletedSecret));
    }

    [Fact]
    public async Task Purging_when_configured_removes_the_deleted_secret_so_a_new_set_needs_no_recovery()
    {
        var vault = new VaultHarness(configure: o => o.PurgeDeletedSecrets = true);
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);

        await vault.Store.DeleteAsync(name, Ct);
        Assert.Null(vault.Handler.StateOf(name));

        await vault.Store.SetAsync(name, "sk-new-000002", VaultHarness.Tags(name), Ct);
        Assert.Empty(vault.Handler.Calls(KeyVaultOperation.RecoverDeletedSecret));
        Assert.Equal(1, vault.Handler.Find(name)!.VersionCount);
    }

    [Fact]
    public async Task Purging_is_not_done_by_default()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);

        await vault.Store.DeleteAsync(name, Ct);

        Assert.Empty(vault.Handler.Calls(KeyVaultOperation.PurgeDeletedSecret));
        Assert.Equal("Deleted", vault.Handler.StateOf(name));
    }

    [Fact]
    public async Task A_purge_refused_by_purge_protection_leaves_the_secret_soft_deleted_and_the_delete_succeeds()
    {
        var vault = new VaultHarness(new FakeKeyVaultHandler { PurgeProtectionEnabled = true }, o => o.PurgeDeletedSecrets = true);
        var name = VaultHarness.SecretName();
        await vault.Store.SetAsync(name, "sk-old-000001", VaultHarness.Tags(name), Ct);

        await vault.Store.DeleteAsync(name, Ct);

        Assert.Equal("Deleted", vault.Handler.StateOf(name));
        Assert.Equal([403], vault.Handler.Calls(KeyVaultOperation.PurgeDeletedSecret).Select(r => r.Status));
        Assert.Contains(vault.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_conflict_that_is_not_about_soft_delete_is_reported_as_the_vault_refusing_for_now_not_as_an_error_of_ours()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Conflict("SomethingElse"));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => vault.Store.SetAsync(name, "sk-abc-0001", VaultHarness.Tags(name), Ct));

        Assert.Equal("Key Vault", error.Dependency);
        Assert.Equal(409, Assert.IsType<Azure.RequestFailedException>(error.InnerException).Status);
        Assert.Single(vault.Handler.Calls(KeyVaultOperation.SetSecret));
        Assert.Null(vault.Handler.StateOf(name));
    }

    [Fact]
    public async Task Replacing_a_key_disables_every_older_version_so_the_replaced_key_cannot_be_read()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();

        await vault.Store.SetAsync(name, "sk-first-0001", VaultHarness.Tags(name), Ct);
        await vault.Store.SetAsync(name, "sk-second-0002", VaultHarness.Tags(name), Ct);
        await vault.Store.SetAsync(name, "sk-third-0003", VaultHarness.Tags(name), Ct);

        Assert.Equal(["sk-third-0003"], vault.Handler.EnabledValues(name));
        Assert.Equal(3, vault.Handler.Find(name)!.VersionCount);
        Assert.Equal("sk-third-0003", await vault.Store.GetAsync(name, Ct));
    }
}
