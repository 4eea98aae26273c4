using System.Diagnostics;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using Onboarding.Core;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

/// <summary>Long-running operations that never finish, which the fake vault cannot make cheaply: a mocked SecretClient.</summary>
public sealed class KeyVaultSecretStoreTimingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recovery_that_never_finishes_is_given_up_after_the_recovery_timeout()
    {
        var client = ClientWhoseNameIsSoftDeleted(out var recovery);
        KeyVaultSecretStoreOptions? used = null;
        var store = Store(client.Object, o => (used = o).RecoveryTimeout = TimeSpan.FromMilliseconds(200));

        var started = Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => store.SetAsync("u-0123-openai", "sk-abc-000001", new Dictionary<string, string>(), Ct));

        // Not given up early (timers never fire before they are due, however busy the machine) ...
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(150));
        Assert.Equal("Key Vault", error.Dependency);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        // ... and given up, not polled on: a poll is followed by at least one polling interval's wait.
        recovery.Verify(r => r.UpdateStatusAsync(It.IsAny<CancellationToken>()), Times.Between(1, MaxPolls(used!.RecoveryTimeout, used), Moq.Range.Inclusive));
        client.Verify(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_caller_that_cancels_during_a_recovery_gets_a_cancellation_not_a_503()
    {
        var client = ClientWhoseNameIsSoftDeleted(out _);
        var store = Store(client.Object, o => o.RecoveryTimeout = TimeSpan.FromMinutes(1));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        caller.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.SetAsync("u-0123-openai", "sk-abc-000001", new Dictionary<string, string>(), caller.Token));
    }

    [Fact]
    public async Task A_deletion_that_never_finishes_still_lets_the_delete_return_after_the_wait_timeout()
    {
        var client = ClientWhoseDeletionNeverFinishes(out var deletion);
        KeyVaultSecretStoreOptions? used = null;
        var store = Store(client.Object, o => (used = o).DeleteCompletionTimeout = TimeSpan.FromMilliseconds(100));

        var started = Stopwatch.GetTimestamp();
        await store.DeleteAsync("u-0123-openai", Ct);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(50));
        deletion.Verify(d => d.UpdateStatusAsync(It.IsAny<CancellationToken>()), Times.Between(1, MaxPolls(used!.DeleteCompletionTimeout, used), Moq.Range.Inclusive));
    }

    [Fact]
    public async Task Purge_is_skipped_while_the_deletion_is_unfinished()
    {
        var client = ClientWhoseDeletionNeverFinishes(out _);
        var store = Store(client.Object, o =>
        {
            o.DeleteCompletionTimeout = TimeSpan.FromMilliseconds(50);
            o.PurgeDeletedSecrets = true;
        });

        await store.DeleteAsync("u-0123-openai", Ct);

        client.Verify(c => c.PurgeDeletedSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static KeyVaultSecretStore Store(SecretClient client, Action<KeyVaultSecretStoreOptions> configure)
    {
        var options = VaultHarness.FastOptions();
        configure(options);
        return new KeyVaultSecretStore(client, Options.Create(options), new RecordingLoggerProvider().CreateLogger<KeyVaultSecretStore>());
    }

    private static Mock<SecretClient> ClientWhoseNameIsSoftDeleted(out Mock<RecoverDeletedSecretOperation> recovery)
    {
        var client = new Mock<SecretClient>(MockBehavior.Strict);
        client.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(StubResponse.Conflict("ObjectIsDeletedButRecoverable")));
        recovery = StillRunning<RecoverDeletedSecretOperation>();
        client.Setup(c => c.StartRecoverDeletedSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(recovery.Object);
        return client;
    }

    /// <summary>The most polls that fit in <paramref name="timeout"/> when each is followed by a polling interval's wait.</summary>
    private static int MaxPolls(TimeSpan timeout, KeyVaultSecretStoreOptions options) => (int)(timeout / options.PollingInterval) + 1;

    private static Mock<SecretClient> ClientWhoseDeletionNeverFinishes(out Mock<DeleteSecretOperation> deletion)
    {
        var client = new Mock<SecretClient>(MockBehavior.Strict);
        deletion = StillRunning<DeleteSecretOperation>();
        client.Setup(c => c.StartDeleteSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(deletion.Object);
        client.Setup(c => c.PurgeDeletedSecretAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new StubResponse(204));
        return client;
    }

    /// <summary>An operation whose every poll says "not yet".</summary>
    private static Mock<T> StillRunning<T>()
        where T : Operation
    {
        var operation = new Mock<T>();
        operation.Setup(o => o.UpdateStatusAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StubResponse(404));
        operation.SetupGet(o => o.HasCompleted).Returns(false);
        return operation;
    }
}
