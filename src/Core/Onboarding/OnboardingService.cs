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
/// The wizard's operations over one user's partition. This file holds the lifecycle operations; the step rules are in
/// <c>OnboardingService.Steps.cs</c>, the write loop in <c>OnboardingService.Writes.cs</c>, the key protocol in
/// <c>OnboardingService.ApiKeys.cs</c> and erasure in <c>OnboardingService.Erase.cs</c>.
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
}
