namespace Onboarding.Core.Storage;

/// <summary>
/// Which source record a partition was migrated from (a hash of it, never its content) and when: the partition's
/// <c>migration</c> row. The service never reads it; a change that carries it (<see cref="PartitionChange.Migration"/>)
/// also stamps the progress row with <see cref="SourceHash"/>, and the service's next write of that row drops the stamp.
/// </summary>
public sealed record MigrationMarker(string SourceHash, string Source, DateTimeOffset MigratedAt);
