using Microsoft.Extensions.Logging;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// The partition write path: under the user's lock, read, plan, and submit the plan as one ETag-guarded transaction,
/// re-reading and re-planning on a conflict a bounded number of times.
/// </summary>
public sealed partial class OnboardingService
{
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
