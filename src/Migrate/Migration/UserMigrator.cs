using System.Globalization;
using Azure;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Users;

namespace Onboarding.Migrate.Migration;

/// <summary>
/// Migrates one user: keys to the secret store first, then progress, steps, key index rows and the migration marker
/// in one transaction guarded by the progress row's ETag. When that transaction does not land, the secrets written
/// for it are undone, so a user is migrated whole or not at all.
/// </summary>
internal sealed class UserMigrator(OnboardingTable table, ApiKeyService apiKeys, TimeProvider time)
{
    public async Task<(UserOutcome Outcome, string? Detail)> MigrateAsync(PlannedUser planned, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var user = planned.User ?? throw new ArgumentException("The user is not ready to migrate.", nameof(planned));
        var record = planned.Record!;
        var state = await ReadAsync(user.UserKey, dryRun, cancellationToken);

        var untouchedMigration = state.Marker is not null && state.UnchangedSinceMigration;
        if (untouchedMigration && state.Marker!.SourceHash == record.SourceHash)
        {
            return (UserOutcome.Unchanged, $"Already migrated from this record at {Format(state.Marker.MigratedAt)}.");
        }

        if (state.Snapshot.Exists && !untouchedMigration)
        {
            return (UserOutcome.Conflict, state.Marker is null
                ? "The user already has progress in the new service that did not come from a migration; it is not overwritten."
                : $"Migrated at {Format(state.Marker.MigratedAt)} and changed in the new service since; it is not overwritten.");
        }

        var update = state.Snapshot.Exists;
        if (dryRun)
        {
            return (update ? UserOutcome.WouldUpdate : UserOutcome.WouldMigrate, update ? "The legacy record changed since it was migrated." : null);
        }

        var keys = record.Keys.Select(k => new NewApiKey(k.Provider, k.Value, null)).ToList();
        var writes = await apiKeys.WriteSecretsAsync(user.ToCurrentUser(), state.Snapshot, keys, cancellationToken);
        var marker = new MigrationMarker(record.SourceHash, $"{Path.GetFileName(planned.Report.File)} {planned.Report.Path}", time.GetUtcNow());
        try
        {
            await table.WriteMigrationAsync(user.UserKey, new PartitionMigration(record.Progress, record.Steps, writes.Entries, marker), state, cancellationToken);
        }
        catch (ConcurrentUpdateException)
        {
            await writes.UndoAsync();
            return (UserOutcome.Conflict, "The user's rows changed while the migration was written; nothing was overwritten. Run again to re-check.");
        }
        catch
        {
            await writes.UndoAsync();
            throw;
        }

        return (update ? UserOutcome.Updated : UserOutcome.Migrated, update ? "The legacy record changed since it was migrated; written again." : null);
    }

    private async Task<MigrationState> ReadAsync(string userKey, bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            return await table.ReadMigrationStateAsync(userKey, cancellationToken);
        }
        catch (RequestFailedException ex) when (dryRun && ex.Status == 404)
        {
            // A dry run does not create the table; without one, every user is new.
            return new MigrationState(UserSnapshot.Empty, null, false);
        }
    }

    private static string Format(DateTimeOffset value) => value.ToString("u", CultureInfo.InvariantCulture);
}
