using Onboarding.Migrate.Legacy;
using Onboarding.Migrate.Users;

namespace Onboarding.Migrate.Migration;

/// <summary>A legacy user ready to migrate (no problems), or one that is reported and skipped.</summary>
internal sealed record PlannedUser(UserReport Report, MappedUser? User, ConvertedRecord? Record)
{
    public bool Ready => Report.Problems.Count == 0 && User is not null && Record is not null;
}

/// <summary>
/// Everything that can be decided without storage: each record converted, each legacy id mapped, and ambiguity
/// refused. A user with any problem is skipped whole.
/// </summary>
internal static class MigrationPlanner
{
    public static (IReadOnlyList<FileReport> Files, IReadOnlyList<PlannedUser> Users) Plan(IReadOnlyList<LegacyFile> files, UserMap map, DateTimeOffset migratedAt)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(map);
        var users = new List<PlannedUser>();
        foreach (var file in files)
        {
            foreach (var (legacyId, problem) in file.Invalid)
            {
                var report = new UserReport { LegacyId = legacyId, File = file.File, Path = problem.Path };
                report.Problems.Add(problem);
                users.Add(new PlannedUser(report, null, null));
            }

            foreach (var legacy in file.Records)
            {
                users.Add(PlanRecord(legacy, map, migratedAt));
            }
        }

        RefuseAmbiguity(users);
        var fileReports = files.Select(f => new FileReport(f.File, f.Records.Count + f.Invalid.Count, f.Unreadable)).ToArray();
        return (fileReports, users);
    }

    private static PlannedUser PlanRecord(LegacyRecord legacy, UserMap map, DateTimeOffset migratedAt)
    {
        var record = LegacyRecordConverter.Convert(legacy, migratedAt);
        var report = new UserReport
        {
            LegacyId = legacy.LegacyId,
            File = legacy.File,
            Path = legacy.Path,
            Steps = record.StepCount,
            Keys = record.KeyCount,
            KeyHints = record.Keys.Select(k => new KeyHint(k.Provider.Name, k.Hint)).ToArray(),
        };
        report.Problems.AddRange(record.Problems);
        report.Warnings.AddRange(record.Warnings);

        var user = map.Find(legacy.LegacyId);
        if (user is null)
        {
            report.Problems.Add(MigrationProblem.At(legacy.File, legacy.Path, $"Legacy user '{legacy.LegacyId}' is not in the user map."));
        }
        else
        {
            report.Issuer = user.Issuer;
            report.Subject = user.Subject;
            report.UserKey = user.UserKey;
        }

        return new PlannedUser(report, user, record);
    }

    /// <summary>Two records for one legacy id, or two legacy ids for one user: which one is current is unknown, so neither.</summary>
    private static void RefuseAmbiguity(List<PlannedUser> users)
    {
        foreach (var group in users.GroupBy(u => u.Report.LegacyId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var places = string.Join(" and ", group.Select(u => $"{Path.GetFileName(u.Report.File)} {u.Report.Path}"));
            foreach (var user in group)
            {
                user.Report.Problems.Add(MigrationProblem.At(user.Report.File, user.Report.Path ?? JsonPaths.Root,
                    $"Legacy user '{group.Key}' has more than one record ({places}); remove all but the current one."));
            }
        }

        foreach (var group in users.Where(u => u.User is not null).GroupBy(u => u.User!.UserKey, StringComparer.Ordinal)
                     .Where(g => g.Select(u => u.Report.LegacyId).Distinct(StringComparer.Ordinal).Count() > 1))
        {
            var ids = string.Join(", ", group.Select(u => $"'{u.Report.LegacyId}'").Distinct(StringComparer.Ordinal));
            foreach (var user in group)
            {
                user.Report.Problems.Add(MigrationProblem.At(user.Report.File, user.Report.Path ?? JsonPaths.Root,
                    $"Legacy users {ids} are mapped to the same user; map each to its own subject."));
            }
        }
    }
}
