namespace Onboarding.Migrate;

/// <summary>The command line, parsed.</summary>
internal sealed record MigrateOptions(
    string Source,
    string UserMap,
    string? Issuer,
    bool DryRun,
    bool Json,
    string? ConnectionString,
    string? TableServiceUri,
    string? TableName,
    string? VaultUri);
