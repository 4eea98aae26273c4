using System.Text.Json.Nodes;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// The step rules: what saving or completing a step needs (order, the finish rule, the step's schema, size, the
/// caller's ETag), planned against one read of the partition and re-planned after a conflict.
/// </summary>
public sealed partial class OnboardingService
{
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
}
