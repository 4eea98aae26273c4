using System.Text.Json.Nodes;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Storage;

/// <summary>
/// A user's whole state brought in from outside the service (the legacy JSON migration): the progress row, the step
/// rows and the index rows of keys already in the secret store, written together with a <see cref="MigrationMarker"/>.
/// </summary>
public sealed record PartitionMigration(
    ProgressState Progress,
    IReadOnlyDictionary<int, JsonObject> Steps,
    IReadOnlyList<ApiKeyEntry> ApiKeys,
    MigrationMarker Marker);

/// <summary>Which source record a partition was migrated from (a hash of it, never its content) and when.</summary>
public sealed record MigrationMarker(string SourceHash, string Source, DateTimeOffset MigratedAt);

/// <summary>
/// A partition as a migration sees it. <see cref="UnchangedSinceMigration"/> is true only while the progress row is
/// still the one the migration wrote: every write of the service replaces that row, which drops the migration's
/// hash from it.
/// </summary>
public sealed record MigrationState(UserSnapshot Snapshot, MigrationMarker? Marker, bool UnchangedSinceMigration);
