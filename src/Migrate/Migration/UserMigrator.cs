using Azure;
using Microsoft.Extensions.Logging;
using Onboarding.Core;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;

namespace Onboarding.Migrate.Migration;

/// <summary>
/// Migrates one user by the service's own key protocol: under the user's key lease (<see cref="KeyLeases"/>) the
/// partition is read again and decided again, the keys go to the secret store, and then progress, steps, key index
/// rows and the migration marker are committed with the lease's release in one transaction guarded by the progress
/// row's ETag (<see cref="OnboardingTable.SubmitAsync"/>). When that commit does not land the secret writes are undone,
/// so a service instance serving the same user at the same time never sees a secret that no row lists.
/// </summary>
internal sealed partial class UserMigrator(OnboardingTable table, KeyLeases leases, ApiKeyService apiKeys, TimeProvider time, ILogger<UserMigrator> logger)
{
    public async Task<(UserOutcome Outcome, string? Detail)> MigrateAsync(PlannedUser planned, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var user = planned.User ?? throw new ArgumentException("The user is not ready to migrate.", nameof(planned));
        var record = planned.Record!;

        // Decided first without the lease, so that a dry run, an unchanged user or a conflict writes nothing at all.
        var decision = MigrationDecision.For(await ReadAsync(user.UserKey, dryRun, cancellationToken), record, dryRun);
        if (decision.Write)
        {
            decision = await WriteUnderLeaseAsync(planned, CancellationToken.None);
        }

        return (decision.Outcome, decision.Detail);
    }

    private async Task<MigrationDecision> WriteUnderLeaseAsync(PlannedUser planned, CancellationToken none)
    {
        var (user, record) = (planned.User!, planned.Record!);
        var keys = record.Keys.Select(k => new NewApiKey(k.Provider, k.Value, null)).ToList();
        var providers = keys.Select(k => k.Provider.Name).ToArray();
        if (await table.ReadKeyLeaseAsync(user.UserKey, none) is { Owner.Length: > 0 } held && held.ExpiresAt > time.GetUtcNow())
        {
            // Says why the run pauses: the service is writing this user's keys, and the migration waits its turn.
            LogWaiting(logger, planned.Report.LegacyId);
        }

        var lease = await leases.AcquireAsync(user.UserKey, providers, none);
        var writes = apiKeys.NewWrites();
        MigrationDecision? decision = null;
        try
        {
            var snapshot = await table.ReadAsync(user.UserKey, none);
            decision = MigrationDecision.For(snapshot, record, dryRun: false);
            if (!decision.Write)
            {
                KeepOnlyStalePending(lease);
                return decision;
            }

            await apiKeys.WriteSecretsAsync(user.ToCurrentUser(), snapshot, keys, writes, none);
            var marker = new MigrationMarker(record.SourceHash, $"{Path.GetFileName(planned.Report.File)} {planned.Report.Path}", time.GetUtcNow());
            var change = MigrationChange.For(snapshot, record, writes.Entries, marker);

            // Once the commit lands these providers match the index; providers an earlier operation left stay pending.
            lease.Pending.ExceptWith(providers);
            change.Lease = new KeyLeaseFence(lease, Release: true);
            await table.SubmitAsync(user.UserKey, change, none);
            return decision;
        }
        catch (ConcurrentUpdateException)
        {
            await UndoAsync(lease, writes);
            return MigrationDecision.ChangedWhileWriting;
        }
        catch (KeyLeaseLostException ex)
        {
            // Another operation holds the user's keys now: nothing was committed, and the providers written here are
            // handed to it as pending (by the release below) instead of being undone outside the lease.
            lease.Pending.UnionWith(providers);
            throw new DependencyUnavailableException("Another key operation of this user", TimeSpan.FromSeconds(2), ex);
        }
        catch (Exception ex) when (ex is DependencyUnavailableException or RequestFailedException)
        {
            // The commit releases the lease, so the lease row tells whether it landed although its answer was lost.
            switch (decision is { Write: true } ? await leases.CommitLandedAsync(lease) : false)
            {
                case true:
                    return decision!;
                case false:
                    await UndoAsync(lease, writes);
                    break;
                default:
                    lease.Pending.UnionWith(providers);
                    break;
            }

            throw;
        }
        finally
        {
            // Never throws, and does nothing once the commit released the lease.
            await leases.ReleaseAsync(lease);
        }
    }

    /// <summary>Undoes the secret writes; pending stays only what an earlier operation left and what could not be undone.</summary>
    private static Task UndoAsync(KeyLease lease, SecretWrites writes)
        => KeyLeases.UndoWritesAsync(lease, writes, lease.Pending.Except(lease.StalePending).ToArray());

    private static void KeepOnlyStalePending(KeyLease lease) => lease.Pending.IntersectWith(lease.StalePending);

    private async Task<UserSnapshot> ReadAsync(string userKey, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            return await table.ReadAsync(userKey, cancellationToken);
        }
        catch (RequestFailedException ex) when (dryRun && ex.Status == 404)
        {
            // A dry run does not create the table; without one, every user is new.
            return UserSnapshot.Empty;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Legacy user {LegacyId}: the service is changing this user's keys; waiting for its key lease")]
    private static partial void LogWaiting(ILogger logger, string legacyId);
}
