using System.Collections;
using Microsoft.Extensions.Options;
using Onboarding.Core;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

/// <summary>A raw key must never reach a log sink, an exception message or the environment, whatever happens to the call.</summary>
public sealed class KeyVaultSecretLeakTests
{
    private const string Key = "sk-LEAKCANARY-9f8e7d6c5b4a39281706";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_log_entry_exception_or_environment_variable_ever_holds_the_key_value()
    {
        var vault = new VaultHarness(configure: o => o.RecoveryTimeout = TimeSpan.FromMilliseconds(300));
        var handler = vault.Handler;
        var store = vault.Store;
        var purgingOptions = VaultHarness.FastOptions();
        purgingOptions.PurgeDeletedSecrets = true;
        var purgingStore = new KeyVaultSecretStore(vault.Client, Options.Create(purgingOptions), vault.Logs.CreateLogger<KeyVaultSecretStore>());
        var name = VaultHarness.SecretName();
        var tags = VaultHarness.Tags(name);
        var errors = new List<Exception>();

        async Task Run(Func<Task> operation)
        {
            try
            {
                await operation();
            }
            catch (DependencyUnavailableException ex)
            {
                errors.Add(ex);
            }
            catch (Azure.RequestFailedException ex)
            {
                errors.Add(ex);
            }
        }

        // The happy paths, including soft delete and recovery.
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        await Run(() => store.GetAsync(name, Ct));
        await Run(() => store.SetAsync(name, Key + "-v2", tags, Ct));
        handler.DeletionSteps = 0;
        await Run(() => purgingStore.DeleteAsync(name, Ct)); // purged
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        await Run(() => store.DeleteAsync(name, Ct)); // soft-deleted
        await Run(() => store.SetAsync(name, Key, tags, Ct)); // recovered, then set
        await Run(() => store.GetAsync(VaultHarness.SecretName(), Ct));
        await Run(() => store.CheckReadyAsync(Ct));

        // Every kind of failure, on writes of the value.
        handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Throttled(retryAfterSeconds: 30), times: 1);
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.ServiceUnavailable(), times: 3);
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Forbidden(), times: 1);
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        handler.InjectFault(KeyVaultOperation.SetSecret, KeyVaultFault.Conflict("SomethingElse"), times: 1);
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        handler.InjectFault(KeyVaultFault.ConnectionFailure(), times: 3);
        await Run(() => store.SetAsync(name, Key, tags, Ct));
        handler.InjectFault(KeyVaultOperation.GetSecret, KeyVaultFault.Forbidden(), times: 1);
        await Run(() => store.GetAsync(name, Ct));

        // A recovery that does not finish in time.
        await Run(() => store.DeleteAsync(name, Ct));
        handler.RecoverySteps = 100_000;
        await Run(() => store.SetAsync(name, Key, tags, Ct));

        Assert.Equal(7, errors.Count);
        Assert.NotEmpty(vault.Logs.Entries);
        Assert.All(vault.Logs.Entries, entry => Assert.DoesNotContain("LEAKCANARY", entry.AllText, StringComparison.Ordinal));
        Assert.All(errors, error => Assert.DoesNotContain("LEAKCANARY", error.ToString(), StringComparison.Ordinal));
        Assert.All(handler.Requests, request => Assert.DoesNotContain("LEAKCANARY", request.ToString(), StringComparison.Ordinal));
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            Assert.DoesNotContain("LEAKCANARY", variable.Value?.ToString() ?? "", StringComparison.Ordinal);
        }

        // The logs are still useful: they name the secret and the provider.
        Assert.Contains(vault.Logs.Entries, e => e.Message.Contains(name, StringComparison.Ordinal) && e.Message.Contains("provider openai", StringComparison.Ordinal));
    }
}
