namespace Onboarding.Core.ApiKeys;

/// <summary>Where provider API keys are kept: Key Vault when <see cref="VaultUri"/> is set, else the local development store.</summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>Key Vault URI, e.g. https://my-vault.vault.azure.net/. Required outside Development.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Base64 of a 256-bit key that encrypts the local development store (never used with Key Vault).</summary>
    public string? LocalEncryptionKey { get; set; }

    /// <summary>Table that holds the local development store's encrypted secrets.</summary>
    public string LocalTableName { get; set; } = "devsecrets";

    /// <summary>Providers that must have a key before step 1 can be completed. Empty: at least one key of any provider.</summary>
    public IList<string> RequiredProviders { get; } = [];
}
