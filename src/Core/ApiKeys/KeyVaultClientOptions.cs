using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// How the service's <see cref="SecretClient"/> talks to Key Vault, shared by the host's registration and
/// <see cref="KeyVaultSecretStore.CreateClient"/> so both retry alike.
/// </summary>
public static class KeyVaultClientOptions
{
    public static Uri VaultUri(SecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.VaultUri ?? throw new InvalidOperationException("Secrets:VaultUri must be set to use Key Vault.");
    }

    /// <summary>The app's managed identity (the user-assigned one when Secrets:ManagedIdentityClientId names it).</summary>
    public static TokenCredential Credential(SecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
    }

    /// <summary>Exponential retries bounded by <paramref name="storeOptions"/>, and no SDK request log (see <see cref="SdkLogging"/>).</summary>
    public static void Apply(SecretClientOptions clientOptions, KeyVaultSecretStoreOptions storeOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(storeOptions);
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = storeOptions.MaxRetries;
        clientOptions.Retry.Delay = storeOptions.RetryDelay;
        clientOptions.Retry.MaxDelay = storeOptions.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = storeOptions.NetworkTimeout;
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        SdkLogging.TurnOff(clientOptions);

        // Same exponential schedule as Retry above, but a long server Retry-After is surfaced, not slept through.
        clientOptions.RetryPolicy = new KeyVaultRetryPolicy(
            storeOptions.MaxRetries,
            DelayStrategy.CreateExponentialDelayStrategy(storeOptions.RetryDelay, storeOptions.MaxRetryDelay),
            storeOptions.MaxServerRetryDelay);
    }
}
