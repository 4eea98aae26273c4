using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// Provider API keys as Azure Key Vault secrets, one per user and provider.
/// <list type="bullet">
/// <item>A deleted key stays in soft delete; writing its name again meets 409 <c>ObjectIsDeletedButRecoverable</c>,
/// so the secret is recovered and then overwritten (the old value is never handed to a caller).</item>
/// <item>Throttling (429), server errors and network failures that outlast the SDK's retries become
/// <see cref="DependencyUnavailableException"/> with the vault's Retry-After (bounded to 1..60 s).</item>
/// <item>401/403 (the app's identity is not allowed on the vault) also become <see cref="DependencyUnavailableException"/>,
/// logged as errors: the client's request was fine and will work once an operator fixes the role assignment, which
/// right after a deployment is often only a matter of minutes while RBAC propagates.</item>
/// <item>Values appear in no log message and no exception message; logs name the secret and the provider only.</item>
/// </list>
/// </summary>
public sealed partial class KeyVaultSecretStore : ISecretStore
{
    internal const string Dependency = "Key Vault";
    private const string ContentType = "text/plain";
    private const string ProviderTag = "provider";
    private const string None = "-";

    private readonly SecretClient _client;
    private readonly KeyVaultSecretStoreOptions _options;
    private readonly ILogger<KeyVaultSecretStore> _logger;

    public KeyVaultSecretStore(SecretClient client, IOptions<KeyVaultSecretStoreOptions> options, ILogger<KeyVaultSecretStore> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// A <see cref="SecretClient"/> for <see cref="SecretsOptions.VaultUri"/> outside dependency injection (tests and
    /// harnesses): the same options the host registers (<see cref="KeyVaultClientOptions"/>), the app's managed identity
    /// unless <paramref name="credential"/> is given. <paramref name="transport"/> replaces the HTTP transport.
    /// </summary>
    public static SecretClient CreateClient(
        SecretsOptions options,
        TokenCredential? credential = null,
        KeyVaultSecretStoreOptions? storeOptions = null,
        HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vaultUri = KeyVaultClientOptions.VaultUri(options);
        var clientOptions = new SecretClientOptions();
        KeyVaultClientOptions.Apply(clientOptions, storeOptions ?? new KeyVaultSecretStoreOptions());
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        return new SecretClient(vaultUri, credential ?? KeyVaultClientOptions.Credential(options), clientOptions);
    }

    public Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(tags);
        var provider = tags.TryGetValue(ProviderTag, out var tagged) ? tagged : ProviderOf(name);
        return GuardAsync("set", name, provider, () => SetOrRecoverAsync(name, value, tags, provider, cancellationToken), cancellationToken);
    }

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var provider = ProviderOf(name);
        return GuardAsync("get", name, provider, async () =>
        {
            try
            {
                var secret = await _client.GetSecretAsync(name, null, cancellationToken);
                LogRead(_logger, name, provider);
                return secret.Value.Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Missing, or soft-deleted: either way there is no key.
                LogNotFound(_logger, name, provider);
                return (string?)null;
            }
        }, cancellationToken);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var provider = ProviderOf(name);
        return GuardAsync("delete", name, provider, async () =>
        {
            var settled = await DeleteAndWaitAsync(name, provider, cancellationToken);
            if (_options.PurgeDeletedSecrets)
            {
                await PurgeAsync(name, provider, settled, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Lists the first page of secret properties: that needs a token, a reachable vault and a role on it, and returns
    /// names and attributes but never a value.
    /// </summary>
    public Task CheckReadyAsync(CancellationToken cancellationToken) =>
        GuardAsync("check readiness", None, None, async () =>
        {
            await using var pages = _client.GetPropertiesOfSecretsAsync(cancellationToken).AsPages(pageSizeHint: 1).GetAsyncEnumerator(cancellationToken);
            await pages.MoveNextAsync();
        }, cancellationToken);
}
