using Microsoft.Extensions.Logging;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// Index repairs of the key protocol, all under the user's key lease: reconciling providers an earlier operation left
/// pending, and removing or putting back one index row around a secret delete.
/// </summary>
public sealed partial class OnboardingService
{
    /// <summary>
    /// Repairs what an earlier operation left pending in the lease row, before this one acts: a secret without an index
    /// row is deleted, an index row without a secret is removed, and a row whose hint does not match its secret gets the
    /// secret's hint. What cannot be repaired now stays pending.
    /// </summary>
    private async Task<UserSnapshot> ReconcileAsync(CurrentUser user, KeyLease lease, UserSnapshot snapshot)
    {
        foreach (var name in lease.StalePending)
        {
            if (ProviderCatalog.Find(name) is not { } provider)
            {
                lease.Pending.Remove(name);
                continue;
            }

            try
            {
                var row = snapshot.ApiKeys.FirstOrDefault(k => k.Provider == name);
                if (row is null)
                {
                    await apiKeys.DeleteSecretAsync(SecretNames.For(user.UserKey, provider), name, CancellationToken.None);
                }
                else if (await apiKeys.StoredHintAsync(row.SecretName, CancellationToken.None) is var hint && hint == row.Hint)
                {
                    // Stored as listed; writing it again retires any older version a failed write left enabled.
                    await apiKeys.RewriteAsync(user, provider, row.SecretName, CancellationToken.None);
                }
                else
                {
                    var repaired = await MutateLockedAsync(user, s =>
                    {
                        var now = time.GetUtcNow();
                        var change = new PartitionChange(s.Progress with { UpdatedAt = now }, s.ProgressETag) { Lease = new KeyLeaseFence(lease, Release: false) };
                        if (hint is null)
                        {
                            change.ApiKeyDeletes.Add(name);
                        }
                        else
                        {
                            change.ApiKeyWrites.Add(row with { Hint = hint, UpdatedAt = now });
                        }

                        return Plan.Write(change);
                    }, null, CancellationToken.None);
                    snapshot = repaired.After ?? snapshot;
                }

                lease.Pending.Remove(name);
                LogReconciled(logger, name, user.UserKey);
            }
            catch (DependencyUnavailableException ex)
            {
                LogNotReconciled(logger, ex, name, user.UserKey);
            }
        }

        return snapshot;
    }

    /// <summary>Commits the removal of an index row under the lease. True when it landed (even if its answer was lost).</summary>
    private async Task<bool> RemoveIndexRowAsync(CurrentUser user, KeyLease lease, UserSnapshot snapshot, ApiKeyEntry entry)
    {
        var committed = false;
        try
        {
            await MutateLockedAsync(user, s =>
            {
                var change = new PartitionChange(s.Progress with { UpdatedAt = time.GetUtcNow() }, s.ProgressETag) { Lease = new KeyLeaseFence(lease, Release: false) };
                if (s.ApiKeys.Any(k => k.Provider == entry.Provider))
                {
                    change.ApiKeyDeletes.Add(entry.Provider);
                }

                return Plan.Write(change);
            }, snapshot, CancellationToken.None, () => committed = true);
            return true;
        }
        catch (DependencyUnavailableException) when (committed)
        {
            // The row is gone; only building the state after it failed.
            return true;
        }
        catch (DependencyUnavailableException)
        {
            // Unknown whether it landed: read back, and take the lease row's new ETag if the commit did land.
            try
            {
                var stored = await table.ReadAsync(user.UserKey, CancellationToken.None);
                var gone = stored.ApiKeys.All(k => k.Provider != entry.Provider);
                if (gone)
                {
                    await leases.RefreshAsync(lease);
                }

                return gone;
            }
            catch (DependencyUnavailableException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// After a secret delete that reported failure: true when the indexed secret is still stored with its hint, false
    /// when it is gone, null when the store cannot tell (or there was no index row to put back).
    /// </summary>
    private async Task<bool?> SecretStateAfterFailedDeleteAsync(ApiKeyEntry? indexed, Provider provider)
    {
        if (indexed is null)
        {
            return null;
        }

        try
        {
            var hint = await apiKeys.StoredHintAsync(indexed.SecretName, CancellationToken.None);
            return hint is null ? false : hint == indexed.Hint ? true : null;
        }
        catch (DependencyUnavailableException ex)
        {
            LogNotReconciled(logger, ex, provider.Name, indexed.SecretName);
            return null;
        }
    }

    /// <summary>Puts back the index row of a secret that could not be deleted. False when that failed too.</summary>
    private async Task<bool> RestoreIndexRowAsync(CurrentUser user, KeyLease lease, ApiKeyEntry entry)
    {
        try
        {
            await MutateLockedAsync(user, s =>
            {
                var change = new PartitionChange(s.Progress with { UpdatedAt = time.GetUtcNow() }, s.ProgressETag) { Lease = new KeyLeaseFence(lease, Release: false) };
                change.ApiKeyWrites.Add(entry);
                return Plan.Write(change);
            }, null, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is DependencyUnavailableException or KeyLeaseLostException)
        {
            LogIndexRowNotRestored(logger, ex, entry.Provider, entry.SecretName);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not put back the index row of the {Provider} key, whose secret {SecretName} could not be deleted; the user's next key operation reconciles it")]
    private static partial void LogIndexRowNotRestored(ILogger logger, Exception exception, string provider, string secretName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled the {Provider} key of user {UserKey}, left pending by an earlier operation")]
    private static partial void LogReconciled(ILogger logger, string provider, string userKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile the {Provider} key of user {UserKey} yet; it stays pending")]
    private static partial void LogNotReconciled(ILogger logger, Exception exception, string provider, string userKey);
}
