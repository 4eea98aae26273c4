using Azure.Identity;
using Microsoft.Extensions.Logging;
using Onboarding.Core;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

public sealed class KeyVaultFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_single_throttle_is_retried_by_the_sdk_and_the_write_succeeds()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Throttled(retryAfterSeconds: 0), times: 1);

        await vault.Store.SetAsync(name, "sk-throttled-1", VaultHarness.Tags(name), Ct);

        Assert.Equal([429, 200], vault.Handler.Calls(KeyVaultOperation.SetSecret).Select(r => r.Status));
        Assert.Equal("sk-throttled-1", vault.Handler.Find(name)!.Value);
    }

    [Fact]
    public async Task Throttling_that_asks_for_a_long_wait_fails_at_once_with_the_vaults_retry_after()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Throttled(retryAfterSeconds: 30));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => vault.Store.SetAsync(name, "sk-throttled-1", VaultHarness.Tags(name), Ct));

        Assert.Equal("Key Vault", error.Dependency);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        // One attempt: the SDK waits only before a retry, so the client never sat through the vault's Retry-After.
        Assert.Single(vault.Handler.Calls(KeyVaultOperation.SetSecret));
        Assert.Null(vault.Handler.Find(name));
    }

    [Fact]
    public async Task Persistent_throttling_is_retried_by_the_sdk_then_reported_unavailable_with_a_bounded_retry_after()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.GetSecret, KeyVaultFault.Throttled(retryAfterSeconds: 0));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.GetAsync(name, Ct));

        Assert.Equal(vault.Options.MaxRetries + 1, vault.Handler.Calls(KeyVaultOperation.GetSecret).Count);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter); // "0" is raised to the 1 s floor
    }

    [Fact]
    public async Task A_retry_after_beyond_a_minute_is_capped_at_a_minute()
    {
        var vault = new VaultHarness();
        vault.Handler.InjectFault(KeyVaultOperation.GetSecret, KeyVaultFault.Throttled(retryAfterSeconds: 3600));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.GetAsync(VaultHarness.SecretName(), Ct));

        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Persistent_server_errors_are_retried_by_the_sdk_then_reported_unavailable(int status)
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.SetSecret, status == 500 ? KeyVaultFault.InternalServerError() : KeyVaultFault.ServiceUnavailable());

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => vault.Store.SetAsync(name, "sk-abc-000001", VaultHarness.Tags(name), Ct));

        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
        Assert.Equal(vault.Options.MaxRetries + 1, vault.Handler.Calls(KeyVaultOperation.SetSecret).Count);
    }

    [Fact]
    public async Task A_503_with_a_retry_after_passes_it_on()
    {
        var vault = new VaultHarness();
        vault.Handler.InjectFault(KeyVaultOperation.DeleteSecret, KeyVaultFault.ServiceUnavailable(retryAfterSeconds: 12));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.DeleteAsync(VaultHarness.SecretName(), Ct));

        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task Connection_failures_that_outlast_the_retries_are_reported_unavailable()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultFault.ConnectionFailure());

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => vault.Store.SetAsync(name, "sk-abc-000001", VaultHarness.Tags(name), Ct));

        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
        Assert.Equal(vault.Options.MaxRetries + 1, vault.Handler.Requests.Count);
        Assert.All(vault.Handler.Requests, r => Assert.Equal(0, r.Status));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task An_unresponsive_vault_is_reported_unavailable_once_every_attempt_has_timed_out(int maxRetries)
    {
        var vault = new VaultHarness(configure: o =>
        {
            o.MaxRetries = maxRetries;
            o.NetworkTimeout = TimeSpan.FromMilliseconds(100);
        });
        vault.Handler.InjectFault(KeyVaultFault.Unresponsive());

        var started = TimeProvider.System.GetTimestamp();
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.GetAsync(VaultHarness.SecretName(), Ct));

        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
        // Attempts, not recorded requests: on a saturated machine an attempt's 100 ms can pass before it reaches the fake.
        Assert.Equal(maxRetries + 1, vault.Handler.Attempts);
        // Each attempt waited out its network timeout (timers never fire early, however busy the machine).
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(90 * (maxRetries + 1)));
    }

    [Fact]
    public async Task A_single_connection_failure_is_retried_by_the_sdk()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultFault.ConnectionFailure(), times: 1);

        await vault.Store.SetAsync(name, "sk-abc-000001", VaultHarness.Tags(name), Ct);

        Assert.Equal("sk-abc-000001", vault.Handler.Find(name)!.Value);
    }

    [Fact]
    public async Task Forbidden_means_the_apps_identity_lacks_rights_and_is_reported_unavailable_and_logged_as_an_error()
    {
        var vault = new VaultHarness();
        var name = VaultHarness.SecretName();
        vault.Handler.InjectFault(KeyVaultOperation.GetSecret, KeyVaultFault.Forbidden());

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.GetAsync(name, Ct));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(403, Assert.IsType<Azure.RequestFailedException>(error.InnerException).Status);
        Assert.Single(vault.Handler.Calls(KeyVaultOperation.GetSecret)); // not retried: waiting will not help this request
        var logged = Assert.Single(vault.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(name, logged.Message, StringComparison.Ordinal);
        Assert.Contains("openai", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_vault_rejects_is_reported_unavailable()
    {
        var handler = new FakeKeyVaultHandler(acceptedToken: "a-token-for-another-identity");
        var vault = new VaultHarness(handler);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.GetAsync(VaultHarness.SecretName(), Ct));

        Assert.Equal(401, Assert.IsType<Azure.RequestFailedException>(error.InnerException).Status);
        Assert.DoesNotContain(handler.Requests, r => r.Authenticated);
    }

    [Fact]
    public async Task No_managed_identity_to_get_a_token_from_is_reported_unavailable()
    {
        var credential = new FakeTokenCredential { Failure = new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable.") };
        var vault = new VaultHarness(credential: credential);

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => vault.Store.CheckReadyAsync(Ct));

        Assert.IsType<CredentialUnavailableException>(error.InnerException);
        Assert.Contains(vault.Logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_cancelled_request_is_cancelled_not_reported_unavailable()
    {
        var vault = new VaultHarness();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => vault.Store.GetAsync(VaultHarness.SecretName(), cancelled.Token));
    }
}
