using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// Base of the tests that run the API against Key Vault. After each test it checks every log entry and response recorded
/// so far against every raw key sent so far, so across the collection no key operation goes unchecked, and a leak fails
/// the test that caused it.
/// </summary>
public abstract class KeyVaultApiTest(KeyVaultApiFixture api) : IAsyncLifetime
{
    protected KeyVaultApiFixture Api { get; } = api;

    protected FakeKeyVaultHandler Vault => Api.Vault;

    /// <summary>
    /// The Retry-After the failing table's 503s carry: neither the API's default nor one of its bounds, so a test can see
    /// it passed on. The host's storage client also waits it out between its attempts, as it would the service's.
    /// </summary>
    protected static readonly TimeSpan TableRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Answers every entity-group transaction on <paramref name="user"/>'s partition with 503 and
    /// <see cref="TableRetryAfter"/>, on the wire between the host and Azurite, until disposed. Nothing is written.
    /// </summary>
    protected InjectedStorageFault FailTableTransactions(VaultUser user)
        => Api.Storage.Fail(StorageFaultProxy.IsTransactionOn(user.UserKey), StorageFault.ServiceUnavailable, retryAfter: TableRetryAfter);

    /// <summary>
    /// Lets every entity-group transaction on <paramref name="user"/>'s partition reach Azurite and commit, then resets
    /// the connection instead of answering, until disposed: the host's storage client sees no response and retries, as
    /// when an answer is lost on the way back.
    /// </summary>
    protected InjectedStorageFault LoseTableTransactionAnswers(VaultUser user)
        => Api.Storage.Fail(StorageFaultProxy.IsTransactionOn(user.UserKey), StorageFault.ConnectionFailure, afterLanding: true);

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Vault.ClearFaults();
        Api.Storage.Heal();
        Assert.Empty(Api.Leaks());
        return ValueTask.CompletedTask;
    }
}
