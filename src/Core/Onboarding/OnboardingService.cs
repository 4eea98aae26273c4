using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>A step write that landed: the stored step and its new ETag.</summary>
public sealed record StepSaved(UserSnapshot Snapshot, int Step, string? ETag, IReadOnlyList<string> Warnings);

/// <summary>A provider key that landed; <see cref="Replaced"/> when the user already had a key for that provider.</summary>
public sealed record ApiKeyStored(UserSnapshot Snapshot, bool Replaced);

/// <summary>
/// The wizard's rules over one user's partition: order, completeness, per-step validation, and the write path that
/// puts a step and the progress row in one transaction, re-reading and re-applying on an ETag conflict.
/// </summary>
public sealed partial class OnboardingService(
    OnboardingTable table,
    ApiKeyService apiKeys,
    UserLocks locks,
    KeyLeases leases,
    OnboardingRules rules,
    TimeProvider time,
    ILogger<OnboardingService> logger)
{
    /// <summary>Attempts per write before the client is told to retry; each attempt re-reads the partition.</summary>
    public const int MaxAttempts = 16;

    public Task<UserSnapshot> ReadAsync(CurrentUser user, CancellationToken cancellationToken)
        => table.ReadAsync(user.UserKey, cancellationToken);

    /// <summary>Saves a step's data as a draft: its status does not change.</summary>
    public Task<Outcome<StepSaved>> SaveDraftAsync(CurrentUser user, int step, JsonObject data, string? ifMatch, CancellationToken cancellationToken)
        => WriteStepAsync(user, step, data, ifMatch, completing: false, cancellationToken);

    /// <summary>Completes a step: the earlier steps must be done and the data must satisfy the step.</summary>
    public Task<Outcome<StepSaved>> CompleteStepAsync(CurrentUser user, int step, JsonObject? data, CancellationToken cancellationToken)
        => WriteStepAsync(user, step, data, ifMatch: null, completing: true, cancellationToken);

    public async Task<Outcome<UserSnapshot>> SkipStepAsync(CurrentUser user, int step, CancellationToken cancellationToken)
    {
        if (!rules.Get(step).Skippable)
        {
            return Outcome.Fail<UserSnapshot>(Rejection.Invalid(
                $"Step {step} ({rules.Get(step).Title}) is required and cannot be skipped.", "step-not-optional", "This step cannot be skipped."));
        }

        return await MutateAsync(user, snapshot =>
        {
            if (OrderProblem(snapshot.Progress, step) is { } problem)
            {
                return Plan.Reject(problem);
            }

            var now = time.GetUtcNow();
            var progress = snapshot.Progress.WithStep(new StepProgress(step, StepStatus.Skipped, null, now), now);
            return Plan.Write(new PartitionChange(progress, snapshot.ProgressETag));
        }, cancellationToken);
    }

    /// <summary>Marks the wizard as started (idempotent).</summary>
    public Task<Outcome<UserSnapshot>> StartAsync(CurrentUser user, CancellationToken cancellationToken)
        => MutateAsync(user, snapshot =>
        {
            if (snapshot.Progress.StartedAt is not null)
            {
                return Plan.Unchanged();
            }

            var now = time.GetUtcNow();
            return Plan.Write(new PartitionChange(snapshot.Progress with { StartedAt = now, UpdatedAt = now }, snapshot.ProgressETag));
        }, cancellationToken);

    /// <summary>Soft reset: every step back to pending, data and keys kept. Hard reset: step data removed too.</summary>
    public Task<Outcome<UserSnapshot>> ResetAsync(CurrentUser user, bool hard, CancellationToken cancellationToken)
        => MutateAsync(user, snapshot =>
        {
            var now = time.GetUtcNow();
            var change = new PartitionChange(ProgressState.Fresh with { StartedAt = now, UpdatedAt = now }, snapshot.ProgressETag);
            if (hard)
            {
                change.StepDeletes.AddRange(snapshot.Steps.Keys);
            }

            return Plan.Write(change);
        }, cancellationToken);

    /// <summary>Finishes onboarding: every required step must be done.</summary>
    public Task<Outcome<UserSnapshot>> FinishAsync(CurrentUser user, CancellationToken cancellationToken)
        => MutateAsync(user, snapshot =>
        {
            if (FinishProblem(snapshot.Progress) is { } problem)
            {
                return Plan.Reject(problem);
            }

            if (snapshot.Progress.IsCompleted)
            {
                return Plan.Unchanged();
            }

            var now = time.GetUtcNow();
            var progress = snapshot.Progress.WithStep(new StepProgress(rules.FinishStep, StepStatus.Completed, now, now), now) with { CompletedAt = now };
            return Plan.Write(new PartitionChange(progress, snapshot.ProgressETag));
        }, cancellationToken);

    private async Task<Outcome<StepSaved>> WriteStepAsync(CurrentUser user, int step, JsonObject? data, string? ifMatch, bool completing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var gate = await locks.AcquireAsync(user.UserKey, cancellationToken);
        var snapshot = await table.ReadAsync(user.UserKey, cancellationToken);

        // Checks that do not depend on a concurrent writer run before any secret is written.
        var first = PlanStep(snapshot, step, data, ifMatch, completing, out var check);
        if (first.Problem is not null)
        {
            return Outcome.Fail<StepSaved>(first.Problem);
        }

        // Keys go through the key protocol (lease, secrets, fenced index commit); other steps are one transaction.
        var result = check.Keys.Count > 0
            ? await WriteKeysAsync(user, check.Keys, s => PlanStep(s, step, data, ifMatch, completing, out _), cancellationToken)
            : await MutateLockedAsync(user, s => ReferenceEquals(s, snapshot) ? first : PlanStep(s, step, data, ifMatch, completing, out _), snapshot, cancellationToken);
        return result.Problem is not null
            ? Outcome.Fail<StepSaved>(result.Problem)
            : new StepSaved(result.After!, step, result.After!.Steps.GetValueOrDefault(step)?.ETag, check.Warnings);
    }

    private Plan PlanStep(UserSnapshot snapshot, int step, JsonObject? data, string? ifMatch, bool completing, out StepCheck check)
    {
        var effective = data ?? snapshot.DataOf(step) ?? [];
        check = StepValidator.Check(rules, step, effective, snapshot, completing);
        if (completing && step == rules.FinishStep)
        {
            if (FinishProblem(snapshot.Progress) is { } finish)
            {
                return Plan.Reject(finish);
            }
        }
        else if (completing && OrderProblem(snapshot.Progress, step) is { } order)
        {
            return Plan.Reject(order);
        }

        if (!check.IsValid)
        {
            return Plan.Reject(Rejection.InvalidData(check.Errors, $"Step {step} ({rules.Get(step).Title}) is not valid: {string.Join(" ", check.Errors.Values.SelectMany(v => v))}"));
        }

        var json = EntityMapper.Serialize(check.StoredData);
        if (json.Length > EntityMapper.MaxStepDataChars)
        {
            return Plan.Reject(Rejection.TooLarge($"Step data is limited to {EntityMapper.MaxStepDataChars / 1000} thousand characters of JSON."));
        }

        if (ifMatch is not null && ifMatch != "*" && !snapshot.Steps.ContainsKey(step))
        {
            return Plan.Reject(Rejection.Stale($"Step {step} has no stored data to match the given ETag."));
        }

        // Checked here as well as by the table: an ETag the table never issued is a mismatch, not a malformed request to it.
        if (ifMatch is not null && ifMatch != "*" && snapshot.Steps[step].ETag != ifMatch)
        {
            return Plan.Reject(Rejection.Stale("The step has changed since it was read. Reload it and try again."));
        }

        var now = time.GetUtcNow();
        var current = snapshot.Progress.Step(step);
        var progress = completing
            ? snapshot.Progress.WithStep(new StepProgress(step, StepStatus.Completed, now, now), now)
            : snapshot.Progress.WithStep(current with { UpdatedAt = now }, now);
        if (completing && step == rules.FinishStep)
        {
            progress = progress with { CompletedAt = snapshot.Progress.CompletedAt ?? now };
        }

        var change = new PartitionChange(progress, snapshot.ProgressETag);
        change.StepWrites.Add(new StepWrite(step, check.StoredData, ifMatch, json));
        return Plan.Write(change);
    }

    /// <summary>Only with <see cref="OnboardingRules.EnforceOrder"/>: every earlier step must be done first.</summary>
    private Rejection? OrderProblem(ProgressState progress, int step)
    {
        if (!rules.EnforceOrder)
        {
            return null;
        }

        var missing = progress.Steps.Where(s => s.Number < step && !s.IsDone).Select(s => s.Number).ToArray();
        return missing.Length == 0
            ? null
            : Rejection.Conflict(
                $"Complete step{(missing.Length > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} before step {step}.",
                "step-order", "An earlier step is not done.");
    }

    private Rejection? FinishProblem(ProgressState progress)
    {
        var missing = rules.MissingBeforeFinish(progress);
        return missing.Count == 0
            ? null
            : Rejection.Conflict(
                $"Onboarding cannot be finished yet: complete step{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} first.",
                "onboarding-incomplete", "Required steps are not done.");
    }

    private async Task<Outcome<UserSnapshot>> MutateAsync(CurrentUser user, Func<UserSnapshot, Plan> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var gate = await locks.AcquireAsync(user.UserKey, cancellationToken);
        var result = await MutateLockedAsync(user, plan, null, cancellationToken);
        return result.Problem is not null ? Outcome.Fail<UserSnapshot>(result.Problem) : result.After!;
    }

    /// <summary>
    /// Read, plan, submit; on an ETag conflict read again and re-plan, a bounded number of times. The state after a
    /// write is built from the transaction itself, so a write costs one read and one transaction.
    /// </summary>
    /// <remarks>
    /// <paramref name="committed"/> is called once the change has landed, before the state after it is built (which reads
    /// the partition back only in the unexpected case that the transaction did not answer every new ETag).
    /// </remarks>
    private async Task<MutationResult> MutateLockedAsync(CurrentUser user, Func<UserSnapshot, Plan> plan, UserSnapshot? first, CancellationToken cancellationToken, Action? committed = null)
    {
        var snapshot = first ?? await table.ReadAsync(user.UserKey, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var decision = plan(snapshot);
            if (decision.Problem is not null)
            {
                return new MutationResult(snapshot, null, decision.Problem);
            }

            if (decision.Change is null)
            {
                return new MutationResult(snapshot, snapshot, null);
            }

            try
            {
                var landed = await table.SubmitAsync(user.UserKey, decision.Change, cancellationToken);
                committed?.Invoke();
                return new MutationResult(snapshot, await table.StateAfterAsync(user.UserKey, snapshot, landed, cancellationToken), null);
            }
            catch (StalePreconditionException)
            {
                return new MutationResult(snapshot, null, Rejection.Stale("The step has changed since it was read. Reload it and try again."));
            }
            catch (ConcurrentUpdateException) when (attempt < MaxAttempts)
            {
                LogConflict(logger, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * Math.Min(attempt, 8))), cancellationToken);
                snapshot = await table.ReadAsync(user.UserKey, cancellationToken);
            }
            catch (ConcurrentUpdateException ex)
            {
                throw new DependencyUnavailableException("Table Storage (contended)", TimeSpan.FromSeconds(1), ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Progress changed concurrently; re-applying (attempt {Attempt})")]
    private static partial void LogConflict(ILogger logger, int attempt);

    private sealed record MutationResult(UserSnapshot? Before, UserSnapshot? After, Rejection? Problem);

    /// <summary>What a request does to the partition: nothing, a change to commit, or a refusal.</summary>
    private sealed record Plan(PartitionChange? Change, Rejection? Problem)
    {
        public static Plan Write(PartitionChange change) => new(change, null);

        public static Plan Unchanged() => new(null, null);

        public static Plan Reject(Rejection problem) => new(null, problem);
    }
}
