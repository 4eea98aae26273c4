using Azure;
using Onboarding.Core;

namespace Onboarding.Migrate.Migration;

/// <summary>Migrates the planned users one after another, and reports each as it goes.</summary>
internal sealed class MigrationRunner(UserMigrator migrator)
{
    /// <summary>Returns true when the run was cancelled; the users not reached are reported as skipped.</summary>
    public async Task<bool> RunAsync(IReadOnlyList<PlannedUser> users, bool dryRun, Action<string> advanced, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(advanced);
        foreach (var user in users)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (user.Ready)
                {
                    user.Report.Detail = "Not migrated: the run was cancelled first.";
                }

                continue;
            }

            if (user.Ready)
            {
                // Cancellation is honoured between users only: a user's secrets and rows are written whole.
                await MigrateAsync(user, dryRun);
            }

            advanced($"legacy user {user.Report.LegacyId}");
        }

        return cancellationToken.IsCancellationRequested;
    }

    private async Task MigrateAsync(PlannedUser user, bool dryRun)
    {
        try
        {
            (user.Report.Outcome, user.Report.Detail) = await migrator.MigrateAsync(user, dryRun, CancellationToken.None);
        }
        catch (DependencyUnavailableException ex)
        {
            user.Report.Outcome = UserOutcome.Failed;
            user.Report.Detail = $"{ex.Message} Nothing was written for this user; run again later.";
        }
        catch (RequestFailedException ex)
        {
            user.Report.Outcome = UserOutcome.Failed;
            user.Report.Detail = $"Storage refused the write ({ex.Status} {ex.ErrorCode}). Nothing was written for this user.";
        }
    }
}
