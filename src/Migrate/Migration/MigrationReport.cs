namespace Onboarding.Migrate.Migration;

/// <summary>What happened to one legacy user. In a dry run, the would-be results.</summary>
internal enum UserOutcome
{
    /// <summary>Written to a partition that was empty.</summary>
    Migrated,

    /// <summary>The legacy record changed since an earlier migration the user had not touched yet: written again.</summary>
    Updated,

    /// <summary>Already migrated from exactly this record: nothing written.</summary>
    Unchanged,

    WouldMigrate,

    WouldUpdate,

    /// <summary>Invalid, unmapped or ambiguous: nothing written for the user.</summary>
    Skipped,

    /// <summary>The user has progress in the new service that the migration would overwrite: nothing written.</summary>
    Conflict,

    /// <summary>Storage or the secret store refused or was unavailable: nothing written for the user.</summary>
    Failed,
}

/// <summary>A migrated key as it may be shown: the provider and the masked hint, never the key.</summary>
internal sealed record KeyHint(string Provider, string Hint);

internal sealed class UserReport
{
    public required string LegacyId { get; init; }

    public required string File { get; init; }

    /// <summary>JSON path of the user's record in <see cref="File"/>.</summary>
    public string? Path { get; init; }

    public string? Issuer { get; set; }

    public string? Subject { get; set; }

    public string? UserKey { get; set; }

    public UserOutcome Outcome { get; set; } = UserOutcome.Skipped;

    public int Steps { get; set; }

    public int Keys { get; set; }

    public IReadOnlyList<KeyHint> KeyHints { get; set; } = [];

    public string? Detail { get; set; }

    public List<MigrationProblem> Problems { get; } = [];

    public List<string> Warnings { get; } = [];

    public OutcomeColumn Column => Outcome switch
    {
        UserOutcome.Migrated or UserOutcome.Updated or UserOutcome.WouldMigrate or UserOutcome.WouldUpdate => OutcomeColumn.Migrated,
        UserOutcome.Unchanged => OutcomeColumn.Unchanged,
        UserOutcome.Conflict => OutcomeColumn.Conflicts,
        _ => OutcomeColumn.Skipped,
    };
}

/// <summary>The summary table's columns.</summary>
internal enum OutcomeColumn
{
    Migrated,
    Unchanged,
    Skipped,
    Conflicts,
}

/// <summary>A legacy file and what became of it.</summary>
internal sealed record FileReport(string File, int Records, MigrationProblem? Error);

/// <summary>Counts of one row of the summary table.</summary>
internal sealed record Counts(int Migrated, int Unchanged, int Skipped, int Conflicts);

internal sealed record Totals(Counts Users, Counts Steps, Counts Keys, int FilesSkipped);

/// <summary>The whole run: every file and user, every problem, and the totals.</summary>
internal sealed class MigrationReport
{
    public required bool DryRun { get; init; }

    public required string Environment { get; init; }

    public required string SecretStore { get; init; }

    public required IReadOnlyList<FileReport> Files { get; init; }

    public required IReadOnlyList<UserReport> Users { get; init; }

    /// <summary>Every problem of the run, file-level ones included, in file order.</summary>
    public IReadOnlyList<MigrationProblem> Problems
        => Files.Where(f => f.Error is not null).Select(f => f.Error!).Concat(Users.SelectMany(u => u.Problems)).ToArray();

    public Totals Totals
    {
        get
        {
            Counts Count(Func<UserReport, int> measure) => new(
                Users.Where(u => u.Column == OutcomeColumn.Migrated).Sum(measure),
                Users.Where(u => u.Column == OutcomeColumn.Unchanged).Sum(measure),
                Users.Where(u => u.Column == OutcomeColumn.Skipped).Sum(measure),
                Users.Where(u => u.Column == OutcomeColumn.Conflicts).Sum(measure));
            return new Totals(Count(_ => 1), Count(u => u.Steps), Count(u => u.Keys), Files.Count(f => f.Error is not null));
        }
    }

    /// <summary>0 when every user was migrated or already was; 1 when anything was skipped, conflicted or failed.</summary>
    public int ExitCode => Files.Any(f => f.Error is not null) || Users.Any(u => u.Column is OutcomeColumn.Skipped or OutcomeColumn.Conflicts)
        ? ExitCodes.SomethingSkipped
        : ExitCodes.Success;
}
