using System.ComponentModel.DataAnnotations;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Fakes;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

public sealed class KeyVaultClientFactoryTests
{
    [Fact]
    public void The_client_is_for_the_configured_vault()
    {
        var client = KeyVaultSecretStore.CreateClient(new SecretsOptions { VaultUri = FakeKeyVaultHandler.DefaultVaultUri }, new FakeTokenCredential());

        Assert.Equal(FakeKeyVaultHandler.DefaultVaultUri, client.VaultUri);
    }

    [Fact]
    public void The_default_credential_is_built_without_contacting_anything()
    {
        var client = KeyVaultSecretStore.CreateClient(new SecretsOptions { VaultUri = FakeKeyVaultHandler.DefaultVaultUri, ManagedIdentityClientId = "" });

        Assert.NotNull(client);
    }

    [Fact]
    public void Without_a_vault_uri_there_is_no_client()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KeyVaultSecretStore.CreateClient(new SecretsOptions()));

        Assert.Contains("Secrets:VaultUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_options_keep_a_failing_call_within_ten_seconds_and_do_not_purge()
    {
        var options = new KeyVaultSecretStoreOptions();

        // The worst case: every attempt runs to the network timeout, with the longest wait (back-off or honoured
        // server Retry-After) in between.
        var longestWait = options.MaxRetryDelay > options.MaxServerRetryDelay ? options.MaxRetryDelay : options.MaxServerRetryDelay;
        var worstCase = (options.MaxRetries + 1) * options.NetworkTimeout + options.MaxRetries * longestWait;
        Assert.True(worstCase <= TimeSpan.FromSeconds(10), $"{worstCase}");
        Assert.False(options.PurgeDeletedSecrets);
    }

    [Fact]
    public void The_default_options_pass_their_own_validation_and_nonsense_does_not()
    {
        var defaults = new KeyVaultSecretStoreOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), null, validateAllProperties: true));

        var nonsense = new KeyVaultSecretStoreOptions { MaxRetries = 50, NetworkTimeout = TimeSpan.Zero };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(nonsense, new ValidationContext(nonsense), results, validateAllProperties: true));
        Assert.Equal(2, results.Count);
    }
}
