namespace Onboarding.Migrate.Migration;

/// <summary>The tool's exit codes, as documented in docs/migration.md.</summary>
internal static class ExitCodes
{
    /// <summary>Every legacy user was migrated (or already was; or, in a dry run, would be).</summary>
    public const int Success = 0;

    /// <summary>Some file or user was skipped, conflicted or failed; the others were migrated.</summary>
    public const int SomethingSkipped = 1;

    /// <summary>Invalid invocation: bad arguments, or the source or user map cannot be used. Nothing was written.</summary>
    public const int InvalidInput = 2;

    /// <summary>Configuration is invalid, or storage or the secret store cannot be reached. Nothing was written.</summary>
    public const int Unavailable = 3;

    /// <summary>Cancelled (Ctrl+C). Users finished before that stay migrated; none is half-written.</summary>
    public const int Cancelled = 130;
}
