using System.Text.Json.Nodes;
using Onboarding.Core.Onboarding;
using Onboarding.Migrate.Migration;

namespace Onboarding.Migrate.Legacy;

/// <summary>A legacy record turned into the service's model, or the problems that keep it out.</summary>
internal sealed class ConvertedRecord
{
    public required ProgressState Progress { get; init; }

    /// <summary>Step data to store (step 1 without its keys), by step number.</summary>
    public required IReadOnlyDictionary<int, JsonObject> Steps { get; init; }

    public required IReadOnlyList<LegacyKey> Keys { get; init; }

    /// <summary>How many step entries the legacy record has.</summary>
    public required int StepCount { get; init; }

    /// <summary>How many non-empty keys the legacy record has, valid or not.</summary>
    public required int KeyCount { get; init; }

    /// <summary>SHA-256 of the record's JSON: tells a re-run whether the record changed since it was migrated.</summary>
    public required string SourceHash { get; init; }

    public required IReadOnlyList<MigrationProblem> Problems { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public bool IsValid => Problems.Count == 0;
}
