using System.Diagnostics;
using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Onboarding.Core.ApiKeys;

// Writing a secret: recovering a soft-deleted name first, then disabling the older versions.
public sealed partial class KeyVaultSecretStore
{
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
}
