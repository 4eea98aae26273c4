using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
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
    /// The <see cref="SecretClient"/> for <see cref="SecretsOptions.VaultUri"/>: the app's managed identity through
    /// <see cref="DefaultAzureCredential"/> unless <paramref name="credential"/> is given, exponential retries bounded
    /// by <paramref name="storeOptions"/>, and no request or response bodies in the SDK's own logs.
    /// <paramref name="transport"/> replaces the HTTP transport (tests).
    /// </summary>
    public static SecretClient CreateClient(
        SecretsOptions options,
        TokenCredential? credential = null,
        KeyVaultSecretStoreOptions? storeOptions = null,
        HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vaultUri = options.VaultUri ?? throw new InvalidOperationException("Secrets:VaultUri must be set to use Key Vault.");
        storeOptions ??= new KeyVaultSecretStoreOptions();

        var clientOptions = new SecretClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = storeOptions.MaxRetries,
                Delay = storeOptions.RetryDelay,
                MaxDelay = storeOptions.MaxRetryDelay,
                NetworkTimeout = storeOptions.NetworkTimeout,
            },
            Diagnostics = { IsLoggingContentEnabled = false },
        };

        // Same exponential schedule as Retry above, but a long server Retry-After is surfaced, not slept through.
        clientOptions.RetryPolicy = new KeyVaultRetryPolicy(
            clientOptions.Retry.MaxRetries,
            DelayStrategy.CreateExponentialDelayStrategy(clientOptions.Retry.Delay, clientOptions.Retry.MaxDelay),
            storeOptions.MaxServerRetryDelay);
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
        return new SecretClient(vaultUri, credential, clientOptions);
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

    private async Task SetOrRecoverAsync(string name, string value, IReadOnlyDictionary<string, string> tags, string provider, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(name, value) { Properties = { ContentType = ContentType } };
        foreach (var (key, tag) in tags)
        {
            secret.Properties.Tags[key] = tag;
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var stored = await _client.SetSecretAsync(secret, cancellationToken);
                LogStored(_logger, name, provider);
                await DisableOlderVersionsAsync(name, provider, stored.Value.Properties.Version, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (KeyVaultErrors.SoftDeleteConflict(ex) is { } state)
            {
                var remaining = _options.RecoveryTimeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    LogSoftDeleteConflictPersisted(_logger, name, provider, state, _options.RecoveryTimeout);
                    throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
                }

                if (state == KeyVaultErrors.ObjectIsDeletedButRecoverable)
                {
                    await RecoverAsync(name, provider, remaining, cancellationToken);
                }
                else
                {
                    // Deletion or recovery of the name is still under way: once it is done the write can proceed.
                    LogWaitingForSoftDelete(_logger, name, provider, state);
                    await Task.Delay(_options.PollingInterval, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A replaced key must not stay retrievable as an older version, and a recovered name brings its old versions back
    /// enabled: every enabled version but <paramref name="current"/> is disabled. A failure fails the write, which the
    /// caller then undoes like any other failed write.
    /// </summary>
    private async Task DisableOlderVersionsAsync(string name, string provider, string current, CancellationToken cancellationToken)
    {
        var older = new List<SecretProperties>();
        await foreach (var version in _client.GetPropertiesOfSecretVersionsAsync(name, cancellationToken))
        {
            if (version.Enabled != false && !string.Equals(version.Version, current, StringComparison.OrdinalIgnoreCase))
            {
                older.Add(version);
            }
        }

        foreach (var version in older)
        {
            version.Enabled = false;
            await _client.UpdateSecretPropertiesAsync(version, cancellationToken);
        }

        if (older.Count > 0)
        {
            LogOlderVersionsDisabled(_logger, name, provider, older.Count);
        }
    }

    private async Task RecoverAsync(string name, string provider, TimeSpan budget, CancellationToken cancellationToken)
    {
        LogRecovering(_logger, name, provider);
        RecoverDeletedSecretOperation operation;
        try
        {
            operation = await _client.StartRecoverDeletedSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409)
        {
            // A concurrent writer recovered it first, or its deletion is not finished yet: the next write tells which.
            LogRecoveryRaced(_logger, name, provider, ex.Status);
            await Task.Delay(_options.PollingInterval, cancellationToken);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await PollUntilCompletedAsync(operation, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The vault keeps recovering; a retry by the client after a few seconds finds the name writable.
            LogRecoveryTimedOut(_logger, name, provider, _options.RecoveryTimeout);
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }

        LogRecovered(_logger, name, provider);
    }

    /// <summary>Deletes and waits (bounded) for the soft delete to finish. True when the name is now settled in soft delete (or gone).</summary>
    private async Task<bool> DeleteAndWaitAsync(string name, string provider, CancellationToken cancellationToken)
    {
        DeleteSecretOperation operation;
        try
        {
            operation = await _client.StartDeleteSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            LogAlreadyAbsent(_logger, name, provider);
            return true;
        }
        catch (RequestFailedException ex) when (KeyVaultErrors.SoftDeleteConflict(ex) == KeyVaultErrors.ObjectIsBeingDeleted)
        {
            LogAlreadyBeingDeleted(_logger, name, provider);
            return false;
        }

        LogDeleted(_logger, name, provider);

        // Waiting lets the usual "delete, then set the same name" meet the settled soft-deleted state (recover, set)
        // rather than the transient "being deleted" one; SetAsync copes with both, so the wait is bounded and best-effort.
        // Once the vault has accepted the delete the secret is going, whatever happens to the polls: a poll that fails
        // (throttling, outage) does not fail the delete. Callers that keep an index of secrets rely on that: a delete
        // reported as failed makes them keep (or put back) the index row of a secret that is in fact gone.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.DeleteCompletionTimeout);
        try
        {
            await PollUntilCompletedAsync(operation, deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeletionPending(_logger, name, provider, _options.DeleteCompletionTimeout);
            return false;
        }
        catch (RequestFailedException ex) when (TransientErrors.IsTransient(ex.Status) || KeyVaultErrors.IsAccessDenied(ex.Status))
        {
            LogDeletionUnconfirmed(_logger, ex, name, provider, ex.Status);
            return false;
        }
        catch (AggregateException ex) when (TransientErrors.IsTransient(ex))
        {
            LogDeletionUnconfirmed(_logger, ex, name, provider, 0);
            return false;
        }
    }

    /// <summary>
    /// Polls at <see cref="KeyVaultSecretStoreOptions.PollingInterval"/>. The SDK's own WaitForCompletionAsync waits
    /// at least a second between polls whatever interval it is given (4.12), which a request cannot afford.
    /// </summary>
    private async Task PollUntilCompletedAsync(Operation operation, CancellationToken cancellationToken)
    {
        while (true)
        {
            await operation.UpdateStatusAsync(cancellationToken);
            if (operation.HasCompleted)
            {
                return;
            }

            await Task.Delay(_options.PollingInterval, cancellationToken);
        }
    }

    private async Task PurgeAsync(string name, string provider, bool settled, CancellationToken cancellationToken)
    {
        if (!settled)
        {
            LogPurgeSkipped(_logger, name, provider);
            return;
        }

        try
        {
            await _client.PurgeDeletedSecretAsync(name, cancellationToken);
            LogPurged(_logger, name, provider);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing in soft delete under this name (already purged, or the vault has no soft delete).
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 403)
        {
            // 403: purge protection, or no purge right; 400: purging is not enabled on this vault.
            LogPurgeRefused(_logger, name, provider, ex.Status);
        }
    }

    private async Task GuardAsync(string operation, string name, string provider, Func<Task> action, CancellationToken cancellationToken) =>
        await GuardAsync(operation, name, provider, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    /// <summary>Maps what survives the SDK's retries to <see cref="DependencyUnavailableException"/>; everything else propagates.</summary>
    private async Task<T> GuardAsync<T>(string operation, string name, string provider, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (RequestFailedException ex) when (TransientErrors.IsTransient(ex.Status))
        {
            var retryAfter = TransientErrors.RetryAfter(ex);
            LogUnavailable(_logger, ex, operation, name, provider, ex.Status, retryAfter);
            throw new DependencyUnavailableException(Dependency, retryAfter, ex);
        }
        catch (RequestFailedException ex) when (KeyVaultErrors.IsAccessDenied(ex.Status))
        {
            LogAccessDenied(_logger, ex, operation, name, provider, ex.Status);
            throw new DependencyUnavailableException(Dependency, KeyVaultErrors.AccessDeniedRetryAfter, ex);
        }
        catch (AggregateException ex) when (TransientErrors.IsTransient(ex))
        {
            LogUnreachable(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Soft-delete states are handled where they can occur; any other conflict is the vault refusing this change
            // now (a concurrent change of the same secret), not an error in the client's request: it may retry.
            LogConflict(_logger, ex, operation, name, provider, KeyVaultErrors.SoftDeleteConflict(ex) ?? ex.ErrorCode ?? "Conflict");
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's network timeout on the last attempt; the caller did not cancel.
            LogUnreachable(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (AuthenticationFailedException ex)
        {
            LogNoToken(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, KeyVaultErrors.AccessDeniedRetryAfter, ex);
        }
    }

    /// <summary>Secret names are <c>u-{UserKey}-{provider}</c>; the provider is the last segment.</summary>
    private static string ProviderOf(string name)
    {
        var dash = name.LastIndexOf('-');
        return dash >= 0 && dash < name.Length - 1 ? name[(dash + 1)..] : None;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored secret {SecretName} for provider {Provider} in Key Vault")]
    private static partial void LogStored(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read secret {SecretName} for provider {Provider} from Key Vault")]
    private static partial void LogRead(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is not in Key Vault")]
    private static partial void LogNotFound(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted secret {SecretName} for provider {Provider} from Key Vault (soft delete)")]
    private static partial void LogDeleted(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} was already absent from Key Vault")]
    private static partial void LogAlreadyAbsent(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is already being deleted")]
    private static partial void LogAlreadyBeingDeleted(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion of secret {SecretName} for provider {Provider} was not finished after {Timeout}; Key Vault completes it on its own")]
    private static partial void LogDeletionPending(ILogger logger, string secretName, string provider, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault accepted the deletion of secret {SecretName} for provider {Provider}, but polling its progress failed (status {Status}); Key Vault completes it on its own")]
    private static partial void LogDeletionUnconfirmed(ILogger logger, Exception exception, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {SecretName} for provider {Provider} is soft-deleted; recovering it before writing the new value")]
    private static partial void LogRecovering(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered secret {SecretName} for provider {Provider}")]
    private static partial void LogRecovered(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recovery of secret {SecretName} for provider {Provider} answered {Status}; writing again")]
    private static partial void LogRecoveryRaced(ILogger logger, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery of secret {SecretName} for provider {Provider} did not finish within {Timeout}")]
    private static partial void LogRecoveryTimedOut(ILogger logger, string secretName, string provider, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is in state {State}; waiting before writing again")]
    private static partial void LogWaitingForSoftDelete(ILogger logger, string secretName, string provider, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secret {SecretName} for provider {Provider} was still in state {State} after {Timeout}")]
    private static partial void LogSoftDeleteConflictPersisted(ILogger logger, string secretName, string provider, string state, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disabled {Count} older versions of secret {SecretName} for provider {Provider}")]
    private static partial void LogOlderVersionsDisabled(ILogger logger, string secretName, string provider, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault refused to {Operation} secret {SecretName} for provider {Provider} with a conflict ({Code}); clients are asked to retry")]
    private static partial void LogConflict(ILogger logger, Exception exception, string operation, string secretName, string provider, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged deleted secret {SecretName} for provider {Provider}")]
    private static partial void LogPurged(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Did not purge secret {SecretName} for provider {Provider}: its deletion had not finished; it stays in soft delete")]
    private static partial void LogPurgeSkipped(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault refused to purge secret {SecretName} for provider {Provider} (status {Status}); it stays in soft delete until the retention period ends")]
    private static partial void LogPurgeRefused(ILogger logger, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault could not {Operation} secret {SecretName} for provider {Provider}: status {Status}; clients are asked to retry after {RetryAfter}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation, string secretName, string provider, int status, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault was unreachable to {Operation} secret {SecretName} for provider {Provider}")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string operation, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key Vault denied {Operation} of secret {SecretName} for provider {Provider} (status {Status}): the app's identity needs a secrets role on the vault")]
    private static partial void LogAccessDenied(ILogger logger, Exception exception, string operation, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "No token for Key Vault to {Operation} secret {SecretName} for provider {Provider}: the app's identity is not available")]
    private static partial void LogNoToken(ILogger logger, Exception exception, string operation, string secretName, string provider);
}
