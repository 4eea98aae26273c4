using System.Globalization;
using Onboarding.Core.Onboarding;
using Onboarding.Migrate.Legacy;

namespace Onboarding.Migrate.Migration;

/// <summary>What to do with one user's partition as it was read: the outcome, its detail, and whether to write.</summary>
internal sealed record MigrationDecision(UserOutcome Outcome, string? Detail, bool Write)
{
    /// <summary>
    /// Decides from the partition alone: a partition the migration wrote and nobody touched since is rewritten when the
    /// record changed (or left alone when it did not); any other existing partition is a conflict and never overwritten.
    /// </summary>
    public static MigrationDecision For(UserSnapshot snapshot, ConvertedRecord record, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(record);
        var marker = snapshot.Migration;
        var untouched = marker is not null && snapshot.UntouchedSinceMigration;
        if (untouched && marker!.SourceHash == record.SourceHash)
        {
            return new(UserOutcome.Unchanged, $"Already migrated from this record at {Format(marker.MigratedAt)}.", false);
        }

        if (snapshot.Exists && !untouched)
        {
            return new(UserOutcome.Conflict, marker is null
                ? "The user already has progress in the new service that did not come from a migration; it is not overwritten."
                : $"Migrated at {Format(marker.MigratedAt)} and changed in the new service since; it is not overwritten.", false);
        }

        var update = snapshot.Exists;
        return dryRun
            ? new(update ? UserOutcome.WouldUpdate : UserOutcome.WouldMigrate, update ? "The legacy record changed since it was migrated." : null, false)
            : new(update ? UserOutcome.Updated : UserOutcome.Migrated, update ? "The legacy record changed since it was migrated; written again." : null, true);
    }

    public static MigrationDecision ChangedWhileWriting { get; } =
        new(UserOutcome.Conflict, "The user's rows changed while the migration was written; nothing was overwritten. Run again to re-check.", false);

    private static string Format(DateTimeOffset value) => value.ToString("u", CultureInfo.InvariantCulture);
}
