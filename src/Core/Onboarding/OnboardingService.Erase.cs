using Microsoft.Extensions.Logging;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>Erasure of everything stored for a user, under the user's key lease.</summary>
public sealed partial class OnboardingService
{
    /// <summary>
    /// Erases every secret and row of the user. Idempotent. Under the key lease: the secrets the index lists go first,
    /// plus any the lease row names as pending (left by an operation that could not undo a write); then every row,
    /// the lease row included, in transactions guarded by the ETags the rows were read with. The index and the lease
    /// row name every secret the user can have, so no per-provider guessing and no listing of the vault is needed.
    /// If a secret delete fails, the index rows of those already deleted are removed, so what stays is still listed.
    /// </summary>
    public async Task EraseAsync(CurrentUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var gate = await locks.AcquireAsync(user.UserKey, cancellationToken);
        var listed = await table.ReadAsync(user.UserKey, cancellationToken);
        var lease = await leases.AcquireAsync(user.UserKey, listed.ApiKeys.Select(k => k.Provider), cancellationToken);

        // From the lease on, the erasure runs to its end whatever the client does.
        var none = CancellationToken.None;
        try
        {
            var snapshot = await table.ReadAsync(user.UserKey, none);

            // A save on another instance can land between the first read and the lease: its provider was not named when
            // the lease was taken, so name every provider this erasure touches, or a failed delete leaves it unmarked.
            lease.Pending.UnionWith(snapshot.ApiKeys.Select(k => k.Provider));
            var deleted = new List<ApiKeyEntry>();
            ApiKeyEntry? failing = null;
            try
            {
                foreach (var entry in snapshot.ApiKeys)
                {
                    failing = entry;
                    await apiKeys.DeleteSecretAsync(entry.SecretName, entry.Provider, none);
                    deleted.Add(entry);
                }

                failing = null;

                foreach (var name in lease.StalePending.Where(p => snapshot.ApiKeys.All(k => k.Provider != p)))
                {
                    if (ProviderCatalog.Find(name) is { } provider)
                    {
                        await apiKeys.DeleteSecretAsync(SecretNames.For(user.UserKey, provider), name, none);
                    }

                    lease.Pending.Remove(name);
                }
            }
            catch (DependencyUnavailableException)
            {
                await RemoveErasedIndexRowsAsync(user, lease, snapshot, deleted, failing);
                await leases.ReleaseAsync(lease);
                throw;
            }

            await table.DeleteAllFencedAsync(lease, none);
            LogErased(logger, user.UserKey);
        }
        catch (KeyLeaseLostException ex)
        {
            throw LeaseLost(ex);
        }
        finally
        {
            // When the rows could not be deleted the lease is given back with every provider still pending, so the next
            // key operation (or erasure) finishes the job; a row listed for a deleted secret counts as not provided.
            await leases.ReleaseAsync(lease);
        }
    }

    /// <summary>
    /// Removes the index rows of secrets already deleted by an erasure that failed; those providers are then settled.
    /// The secret whose delete failed may be gone all the same (a delete whose answer was lost), so it stays pending.
    /// </summary>
    private async Task RemoveErasedIndexRowsAsync(CurrentUser user, KeyLease lease, UserSnapshot snapshot, List<ApiKeyEntry> deleted, ApiKeyEntry? failing)
    {
        foreach (var entry in snapshot.ApiKeys.Where(e => !deleted.Contains(e) && e != failing))
        {
            // Not touched: still listed and still stored.
            lease.Pending.Remove(entry.Provider);
        }

        if (deleted.Count == 0)
        {
            return;
        }

        try
        {
            await MutateLockedAsync(user, s =>
            {
                var change = new PartitionChange(s.Progress with { UpdatedAt = time.GetUtcNow() }, s.ProgressETag) { Lease = new KeyLeaseFence(lease, Release: false) };
                change.ApiKeyDeletes.AddRange(deleted.Select(e => e.Provider).Where(p => s.ApiKeys.Any(k => k.Provider == p)));
                return Plan.Write(change);
            }, null, CancellationToken.None);
            foreach (var entry in deleted)
            {
                lease.Pending.Remove(entry.Provider);
            }
        }
        catch (Exception ex) when (ex is DependencyUnavailableException or KeyLeaseLostException)
        {
            LogIndexRowsNotRemoved(logger, ex, deleted.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased all onboarding data of user {UserKey}")]
    private static partial void LogErased(ILogger logger, string userKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the index rows of {Count} deleted secrets during an erasure that failed; they stay pending and count as not provided until the next key operation")]
    private static partial void LogIndexRowsNotRemoved(ILogger logger, Exception exception, int count);
}
