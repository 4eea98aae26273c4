using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Legacy;

namespace Onboarding.Migrate.Migration;

/// <summary>A converted record as the one partition change the service's table code submits.</summary>
internal static class MigrationChange
{
    /// <summary>
    /// Progress and steps replaced (steps the record does not have are deleted), key index rows added or replaced (never
    /// deleted), and the migration marker; guarded by the progress row as it was read in <paramref name="read"/>.
    /// </summary>
    public static PartitionChange For(UserSnapshot read, ConvertedRecord record, IEnumerable<ApiKeyEntry> keys, MigrationMarker marker)
    {
        var now = record.Progress.UpdatedAt ?? marker.MigratedAt;
        var change = new PartitionChange(record.Progress, read.ProgressETag) { Migration = marker };
        foreach (var (number, data) in record.Steps.OrderBy(s => s.Key))
        {
            change.StepWrites.Add(new StepWrite(number, data, UpdatedAt: record.Progress.Step(number).UpdatedAt ?? now));
        }

        change.StepDeletes.AddRange(read.Steps.Keys.Where(n => !record.Steps.ContainsKey(n)).Order());
        change.ApiKeyWrites.AddRange(keys);
        return change;
    }
}
