using Azure;
using Azure.Data.Tables;

namespace Onboarding.Core.Storage;

/// <summary>The write path of the legacy migration: a whole partition in one transaction, with a marker row.</summary>
public sealed partial class OnboardingTable
{
    /// <summary>Row that records which source record the partition was migrated from. The service never reads it.</summary>
    public const string MigrationRow = "migration";

    /// <summary>The most JSON a migrated step may hold: the same limit as a step written through the API.</summary>
    public const int MaxMigratedStepDataChars = EntityMapper.MaxStepDataChars;

    /// <summary>Property of the progress row as the migration wrote it; the service's next write of the row drops it.</summary>
    private const string MigrationHashProperty = "MigrationHash";

    /// <summary>The user's snapshot and migration marker, in one partition query.</summary>
    public async Task<MigrationState> ReadMigrationStateAsync(string userKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return await StorageErrors.GuardAsync(async () =>
        {
            var rows = new List<TableEntity>();
            TableEntity? marker = null;
            string? progressHash = null;
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userKey}"), cancellationToken: cancellationToken))
            {
                if (row.RowKey == MigrationRow)
                {
                    marker = row;
                    continue;
                }

                if (row.RowKey == EntityMapper.ProgressRow)
                {
                    progressHash = row.GetString(MigrationHashProperty);
                }

                rows.Add(row);
            }

            var migration = marker is null
                ? null
                : new MigrationMarker(
                    marker.GetString("SourceHash") ?? string.Empty,
                    marker.GetString("Source") ?? string.Empty,
                    marker.GetDateTimeOffset("MigratedAt") ?? DateTimeOffset.MinValue);
            var unchanged = migration is not null && progressHash is not null && progressHash == migration.SourceHash;
            return new MigrationState(EntityMapper.ToSnapshot(rows), migration, unchanged);
        });
    }

    /// <summary>
    /// Writes the migrated partition as one transaction guarded by the progress row as it was read in
    /// <paramref name="expected"/> (created if it did not exist, else replaced only if its ETag still matches). Step
    /// rows of <paramref name="expected"/> that the migration does not have are deleted; index rows of keys are only
    /// added or replaced. Throws <see cref="ConcurrentUpdateException"/> when the partition changed since it was read.
    /// </summary>
    public async Task WriteMigrationAsync(string userKey, PartitionMigration migration, MigrationState expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(expected);
        await EnsureCreatedAsync(cancellationToken);
        var now = migration.Progress.UpdatedAt ?? migration.Marker.MigratedAt;

        var progress = EntityMapper.FromProgress(userKey, migration.Progress);
        progress[MigrationHashProperty] = migration.Marker.SourceHash;
        var actions = new List<TableTransactionAction>
        {
            expected.Snapshot.ProgressETag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, progress)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, progress, new ETag(expected.Snapshot.ProgressETag)),
        };

        foreach (var (number, data) in migration.Steps.OrderBy(s => s.Key))
        {
            var updatedAt = migration.Progress.Step(number).UpdatedAt ?? now;
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                EntityMapper.FromStep(userKey, number, EntityMapper.Serialize(data), updatedAt)));
        }

        foreach (var number in expected.Snapshot.Steps.Keys.Where(n => !migration.Steps.ContainsKey(n)).Order())
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(userKey, EntityMapper.StepRow(number)), ETag.All));
        }

        foreach (var key in migration.ApiKeys)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, EntityMapper.FromApiKey(userKey, key)));
        }

        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(userKey, MigrationRow)
        {
            ["SchemaVersion"] = EntityMapper.SchemaVersion,
            ["SourceHash"] = migration.Marker.SourceHash,
            ["Source"] = migration.Marker.Source,
            ["MigratedAt"] = migration.Marker.MigratedAt,
        }));

        try
        {
            await StorageErrors.GuardAsync(() => _table.SubmitTransactionAsync(actions, cancellationToken));
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            throw new ConcurrentUpdateException("The user's rows changed while the migration was written.", ex);
        }
    }
}
