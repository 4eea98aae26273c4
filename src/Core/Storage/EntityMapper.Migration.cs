using Azure.Data.Tables;

namespace Onboarding.Core.Storage;

/// <summary>The migration marker row, and the progress row's stamp that says the migration's write is still the latest.</summary>
internal static partial class EntityMapper
{
    public const string MigrationRow = "migration";

    /// <summary>The progress row's stamp of the migration that wrote it; a replace by the service drops it.</summary>
    private const string MigrationHashProperty = "MigrationHash";

    public static TableEntity FromMigration(string userKey, MigrationMarker migration) => new(userKey, MigrationRow)
    {
        ["SchemaVersion"] = SchemaVersion,
        ["SourceHash"] = migration.SourceHash,
        ["Source"] = migration.Source,
        ["MigratedAt"] = migration.MigratedAt,
    };

    private static MigrationMarker ToMigration(TableEntity row) => new(
        row.GetString("SourceHash") ?? string.Empty,
        row.GetString("Source") ?? string.Empty,
        row.GetDateTimeOffset("MigratedAt") ?? DateTimeOffset.MinValue);

    private static string? MigrationStampOf(TableEntity progressRow) => progressRow.GetString(MigrationHashProperty);

    private static void Stamp(TableEntity progressRow, MigrationMarker? migration)
    {
        if (migration is not null)
        {
            progressRow[MigrationHashProperty] = migration.SourceHash;
        }
    }
}
