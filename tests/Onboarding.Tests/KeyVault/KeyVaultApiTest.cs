using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// Base of the tests that run the API against Key Vault. After each test it checks every log entry and response recorded
/// so far against every raw key sent so far, so across the collection no key operation goes unchecked, and a leak fails
/// the test that caused it.
/// </summary>
[Collection(KeyVaultApiGroup.Name)]
public abstract class KeyVaultApiTest(KeyVaultApiFixture api) : IAsyncLifetime
{
    protected KeyVaultApiFixture Api { get; } = api;

    protected FakeKeyVaultHandler Vault => Api.Vault;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Vault.ClearFaults();
        Assert.Empty(Api.Leaks());
        return ValueTask.CompletedTask;
    }
}
