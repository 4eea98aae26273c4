using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

public enum StepStatus
{
    Pending,
    Completed,
    Skipped,
}

/// <summary>Where one step stands.</summary>
public sealed record StepProgress(int Number, StepStatus Status, DateTimeOffset? CompletedAt, DateTimeOffset? UpdatedAt)
{
    public bool IsDone => Status is StepStatus.Completed or StepStatus.Skipped;

    public static StepProgress Fresh(int number) => new(number, StepStatus.Pending, null, null);
}

/// <summary>The progress row: per-step status and the timestamps of the whole wizard.</summary>
public sealed record ProgressState(
    IReadOnlyList<StepProgress> Steps,
    DateTimeOffset? StartedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static ProgressState Fresh { get; } =
        new(StepCatalog.Steps.Select(s => StepProgress.Fresh(s.Number)).ToArray(), null, null, null);

    public StepProgress Step(int number) => Steps[number - 1];

    public bool IsCompleted => CompletedAt is not null;

    /// <summary>The first step that is neither completed nor skipped; null once every step is done.</summary>
    public int? NextStep => Steps.FirstOrDefault(s => !s.IsDone)?.Number;

    /// <summary>
    /// The last step done (completed or skipped), 1 for a new user: the existing frontend opens <c>current_step + 1</c>.
    /// <see cref="NextStep"/> is the step to do next.
    /// </summary>
    public int CurrentStep => Steps.LastOrDefault(s => s.IsDone)?.Number ?? 1;

    /// <summary>Steps done out of all; 100 once finished, even with an optional step left untouched.</summary>
    public int CompletionPercentage => IsCompleted ? 100 : (int)Math.Round(100.0 * Steps.Count(s => s.IsDone) / StepCatalog.Count);

    /// <summary>By the built-in steps (what the migration applies): every step before the final one is completed, or skipped where optional.</summary>
    public bool CanProceedToFinal
        => Steps.Where(s => s.Number < StepCatalog.Finish)
                .All(s => s.Status == StepStatus.Completed || (s.Status == StepStatus.Skipped && !StepCatalog.Get(s.Number).Required));

    public ProgressState WithStep(StepProgress step, DateTimeOffset now)
    {
        var steps = Steps.ToArray();
        steps[step.Number - 1] = step;
        return this with { Steps = steps, StartedAt = StartedAt ?? now, UpdatedAt = now };
    }
}

/// <summary>
/// A step's stored data (the client's own JSON, minus anything secret). It is parsed when first read: a write reads
/// the partition for its rules and ETags, and mostly never looks at the data it replaces.
/// </summary>
public sealed class StepData(int number, Func<JsonObject> parse, DateTimeOffset updatedAt, string etag)
{
    private readonly Lazy<JsonObject> _data = new(parse);

    public int Number { get; } = number;

    public JsonObject Data => _data.Value;

    public DateTimeOffset UpdatedAt { get; } = updatedAt;

    public string ETag { get; } = etag;
}

/// <summary>The index row of one stored API key: where the secret is and its masked hint, never the key.</summary>
public sealed record ApiKeyEntry(string Provider, string SecretName, string Hint, DateTimeOffset UpdatedAt, string? Description);

/// <summary>Everything stored for one user, read in one partition query.</summary>
public sealed record UserSnapshot(
    ProgressState Progress,
    string? ProgressETag,
    IReadOnlyDictionary<int, StepData> Steps,
    IReadOnlyList<ApiKeyEntry> ApiKeys)
{
    public static UserSnapshot Empty { get; } = new(ProgressState.Fresh, null, new Dictionary<int, StepData>(), []);

    public bool Exists => ProgressETag is not null || Steps.Count > 0 || ApiKeys.Count > 0;

    /// <summary>
    /// Providers a key operation that failed or stopped left unreconciled: their index rows may not match the secret
    /// store until the user's next key operation repairs them, so they do not count as provided.
    /// </summary>
    public IReadOnlyCollection<string> UnverifiedProviders { get; init; } = [];

    /// <summary>The partition's migration marker, when a migration wrote it (the service itself never reads it).</summary>
    public Storage.MigrationMarker? Migration { get; init; }

    /// <summary>True while the progress row is still the one the migration wrote: every write of the service replaces it.</summary>
    public bool UntouchedSinceMigration { get; init; }

    /// <summary>Providers whose key counts as provided: listed, in provider order, and not <see cref="UnverifiedProviders"/>.</summary>
    public IReadOnlyList<string> VerifiedProviders
        => ApiKeys.Select(k => k.Provider).Except(UnverifiedProviders, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyDictionary<string, string> MaskedKeys
        => ApiKeys.OrderBy(k => k.Provider, StringComparer.Ordinal).ToDictionary(k => k.Provider, k => k.Hint);

    public JsonObject? DataOf(int step) => Steps.TryGetValue(step, out var data) ? data.Data : null;
}
