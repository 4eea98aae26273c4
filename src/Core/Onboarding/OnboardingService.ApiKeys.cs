using Microsoft.Extensions.Logging;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// The key protocol: every operation that writes or deletes a user's secrets takes the user's key lease (so no other
/// instance does the same at once), and from that first side effect on runs to the end or compensates, whatever the
/// client does (no request cancellation past that point). Index commits carry the lease row under its ETag.
/// </summary>
public sealed partial class OnboardingService
{
    /// <summary>Stores (or replaces) one provider key: secret first, then its index row.</summary>
    public async Task<Outcome<ApiKeyStored>> SaveApiKeyAsync(CurrentUser user, NewApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(key);
        using var gate = await locks.AcquireAsync(user.UserKey, cancellationToken);
        bool? replaced = null;
        var result = await WriteKeysAsync(user, [key], s =>
        {
            replaced ??= s.ApiKeys.Any(k => k.Provider == key.Provider.Name);
            return Plan.Write(new PartitionChange(s.Progress with { UpdatedAt = time.GetUtcNow() }, s.ProgressETag));
        }, cancellationToken);
        return result.Problem is not null
            ? Outcome.Fail<ApiKeyStored>(result.Problem)
            : new ApiKeyStored(result.After!, replaced == true);
    }

    /// <summary>
    /// Removes a provider key: the index row first, then the secret; the row comes back if the secret stays. Without an
    /// index row the secret's name is still deleted, so a secret a failed undo left behind can always be removed.
    /// </summary>
    public async Task<Outcome<bool>> DeleteApiKeyAsync(CurrentUser user, Provider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(provider);
        using var gate = await locks.AcquireAsync(user.UserKey, cancellationToken);
        var lease = await leases.AcquireAsync(user.UserKey, [provider.Name], cancellationToken);
        var none = CancellationToken.None;
        try
        {
            var snapshot = await ReconcileAsync(user, lease, await table.ReadAsync(user.UserKey, none));
            var indexed = snapshot.ApiKeys.FirstOrDefault(k => k.Provider == provider.Name);
            if (indexed is not null && !await RemoveIndexRowAsync(user, lease, snapshot, indexed))
            {
                // Not known to be removed: the provider stays pending, and the next key operation reconciles it.
                await leases.ReleaseAsync(lease);
                throw new DependencyUnavailableException("Table Storage", TransientErrors.DefaultRetryAfter);
            }

            try
            {
                await apiKeys.DeleteSecretAsync(indexed?.SecretName ?? SecretNames.For(user.UserKey, provider), provider.Name, none);
            }
            catch (DependencyUnavailableException)
            {
                // A delete reported as failed may have landed. If the secret is still there, its index row comes back;
                // if it is gone, nothing is left to do; if that cannot be told, the provider stays pending.
                if (await SecretStateAfterFailedDeleteAsync(indexed, provider) is { } stillThere
                    && (!stillThere || await RestoreIndexRowAsync(user, lease, indexed!)))
                {
                    lease.Pending.Remove(provider.Name);
                }

                await leases.ReleaseAsync(lease);
                throw;
            }

            lease.Pending.Remove(provider.Name);
            await leases.ReleaseAsync(lease);
            return indexed is not null;
        }
        catch (KeyLeaseLostException ex)
        {
            throw LeaseLost(ex);
        }
        finally
        {
            // An unexpected failure (not an outage) still gives the lease back, with the provider pending.
            await leases.ReleaseAsync(lease);
        }
    }

    /// <summary>
    /// Under the lease: stores the secrets, then commits <paramref name="plan"/> with their index rows and the release of
    /// the lease in one transaction. When the commit does not land the secret writes are undone; a write that cannot be
    /// undone stays pending in the lease row for the next key operation to reconcile.
    /// </summary>
    private async Task<MutationResult> WriteKeysAsync(CurrentUser user, IReadOnlyList<NewApiKey> keys, Func<UserSnapshot, Plan> plan, CancellationToken cancellationToken)
    {
        var lease = await leases.AcquireAsync(user.UserKey, keys.Select(k => k.Provider.Name), cancellationToken);
        var none = CancellationToken.None;
        var writes = apiKeys.NewWrites();
        var committed = false;
        try
        {
            var snapshot = await ReconcileAsync(user, lease, await table.ReadAsync(user.UserKey, none));
            var first = plan(snapshot);
            if (first.Change is null)
            {
                await UndoKeysAsync(lease, keys, writes);
                return new MutationResult(snapshot, first.Problem is null ? snapshot : null, first.Problem);
            }

            await apiKeys.WriteSecretsAsync(user, snapshot, keys, writes, none);

            // Once the commit lands these providers match the index, so the lease is released without them.
            foreach (var key in keys)
            {
                lease.Pending.Remove(key.Provider.Name);
            }

            var result = await MutateLockedAsync(user, s =>
            {
                var decision = ReferenceEquals(s, snapshot) ? first : plan(s);
                if (decision.Change is { } change)
                {
                    change.ApiKeyWrites.AddRange(writes.Entries);
                    change.Lease = new KeyLeaseFence(lease, Release: true);
                }

                return decision;
            }, snapshot, none, () => committed = true);
            if (!lease.Released)
            {
                // A re-plan after a conflict refused the change: nothing was committed.
                await UndoKeysAsync(lease, keys, writes);
            }

            return result;
        }
        catch (Exception ex) when (!committed)
        {
            // The commit releases the lease in the same transaction, so the lease row tells whether it landed: still this
            // holder's means it did not (undo, still under the lease); gone means it did (keep, and undo nothing outside
            // the lease). If even that cannot be read, the providers stay pending for the next key operation.
            switch (writes.Entries.Count > 0 ? await leases.CommitLandedAsync(lease) : false)
            {
                case true:
                    LogCommitLanded(logger, user.UserKey);
                    break;
                case false:
                    await UndoKeysAsync(lease, keys, writes);
                    break;
                default:
                    lease.Pending.UnionWith(keys.Select(k => k.Provider.Name));
                    await leases.ReleaseAsync(lease);
                    break;
            }

            if (ex is KeyLeaseLostException lost)
            {
                throw LeaseLost(lost);
            }

            throw;
        }
    }

    /// <summary>Undoes the secret writes and releases the lease, leaving pending only what could not be undone.</summary>
    private async Task UndoKeysAsync(KeyLease lease, IReadOnlyList<NewApiKey> keys, SecretWrites writes)
    {
        await KeyLeases.UndoWritesAsync(lease, writes, keys.Select(k => k.Provider.Name));
        await leases.ReleaseAsync(lease);
    }

    /// <summary>The lease ran out under a slow operation and another took it: the client retries.</summary>
    private static DependencyUnavailableException LeaseLost(KeyLeaseLostException ex)
        => new("Another key operation of this user", TimeSpan.FromSeconds(2), ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index write for user {UserKey} reported a failure but had landed; the secrets it points at are kept")]
    private static partial void LogCommitLanded(ILogger logger, string userKey);
}
