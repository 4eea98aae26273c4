using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Onboarding.Core.ApiKeys;

// Deleting a secret: waiting for the soft delete to complete, then purging where allowed.
public sealed partial class KeyVaultSecretStore
{
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
}
