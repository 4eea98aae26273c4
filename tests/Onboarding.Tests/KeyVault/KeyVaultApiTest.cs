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
    /// The table fault switch, for the tests that fail a table write after the vault took part. It lives in the Server's
    /// own TableServiceClient pipeline (<see cref="TableFaultPolicy"/>); the Functions worker's client is in another
    /// process, so these tests run on the Server only.
    /// </summary>
    protected TableFaultPolicy TableFaults
    {
        get
        {
            Assert.SkipWhen(Api.Kind == ApiHostKind.Functions, "Table faults are injected in-process, into the Server's TableServiceClient only.");
            return Api.TableFaults;
        }
    }

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Vault.ClearFaults();
        Assert.Empty(Api.Leaks());
        return ValueTask.CompletedTask;
    }
}
