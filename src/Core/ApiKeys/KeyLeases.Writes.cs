using Onboarding.Core.Storage;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// The two steps every writer of keys under a lease shares when its releasing commit fails: telling whether the commit
/// landed after all, and undoing the secret writes when it did not.
/// </summary>
public sealed partial class KeyLeases
{
    /// <summary>
    /// Whether a releasing commit that reported failure landed after all: false while the lease row is still this
    /// holder's (with its current ETag taken), true once it is not (the commit released the lease, so the lease is
    /// marked released), null when the row cannot be read.
    /// </summary>
    public async Task<bool?> CommitLandedAsync(KeyLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            var stored = await table.ReadKeyLeaseAsync(lease.UserKey, CancellationToken.None);
            if (stored is not null && stored.Owner == lease.Owner)
            {
                lease.ETag = stored.ETag;
                return false;
            }

            lease.Released = true;
            return true;
        }
        catch (DependencyUnavailableException)
        {
            return null;
        }
    }

    /// <summary>
    /// Undoes secret writes no commit carried: <paramref name="settled"/> leave the lease's pending providers, and those
    /// whose write could not be undone join them, for the next key operation to reconcile.
    /// </summary>
    public static async Task UndoWritesAsync(KeyLease lease, SecretWrites writes, IEnumerable<string> settled)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(writes);
        await writes.UndoAsync();
        lease.Pending.ExceptWith(settled);
        lease.Pending.UnionWith(writes.NotUndone);
    }
}
