using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Onboarding.Migrate.Migration;
using Spectre.Console;

namespace Onboarding.Migrate.Output;

/// <summary>The report for people (tables) and for scripts (<c>--json</c>). Keys appear only as masked hints.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,

        // Read by scripts and people, never embedded in HTML: JSON paths keep their quotes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteJson(MigrationReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var totals = report.Totals;
        var document = new JsonReport(
            report.DryRun,
            report.Environment,
            report.SecretStore,
            report.ExitCode,
            new JsonTotals(totals.Users, totals.Steps, totals.Keys, totals.FilesSkipped),
            report.Files.Select(f => new JsonFile(f.File, f.Records, f.Error is null ? null : Problem(f.Error))).ToArray(),
            report.Users.Select(u => new JsonUser(
                u.LegacyId, u.File, u.Path, u.Issuer, u.Subject, u.UserKey, u.Outcome, u.Steps, u.Keys, u.KeyHints, u.Detail,
                u.Problems.Select(Problem).ToArray(), u.Warnings)).ToArray(),
            report.Problems.Select(Problem).ToArray());
        writer.WriteLine(JsonSerializer.Serialize(document, Json));
    }

    public static void WriteText(MigrationReport report, TextWriter writer, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        if (report.DryRun)
        {
            writer.WriteLine("Dry run: nothing was written. Results say what a real run would do.");
            writer.WriteLine();
        }

        if (report.Users.Count > 0)
        {
            Consoles.WriteTable(console, ["LEGACY ID", "RESULT", "STEPS", "KEYS", "USER KEY", "SOURCE"],
                report.Users.Select(u => (IReadOnlyList<string>)
                [
                    u.LegacyId, Result(u.Outcome), Number(u.Steps), Number(u.Keys), u.UserKey ?? "-", $"{u.File} {u.Path}".TrimEnd(),
                ]),
                2, 3);
            writer.WriteLine();
        }

        var details = report.Users.Where(u => u.KeyHints.Count > 0 && u.Column is OutcomeColumn.Migrated or OutcomeColumn.Unchanged).ToArray();
        if (details.Length > 0)
        {
            writer.WriteLine("Keys (masked):");
            foreach (var user in details)
            {
                writer.WriteLine($"  legacy user {user.LegacyId}: {string.Join(", ", user.KeyHints.Select(k => $"{k.Provider} {k.Hint}"))}");
            }

            writer.WriteLine();
        }

        var problems = report.Problems;
        if (problems.Count > 0)
        {
            writer.WriteLine("Problems (nothing was written for the users or files they name):");
            foreach (var problem in problems)
            {
                writer.WriteLine($"  {problem}");
            }

            writer.WriteLine();
        }

        var notes = report.Users.Where(u => u.Detail is not null && u.Outcome is not UserOutcome.Unchanged).ToArray();
        if (notes.Length > 0)
        {
            writer.WriteLine("Notes:");
            foreach (var user in notes)
            {
                writer.WriteLine($"  legacy user {user.LegacyId} ({Result(user.Outcome)}): {user.Detail}");
            }

            writer.WriteLine();
        }

        var warnings = report.Users.SelectMany(u => u.Warnings.Select(w => (u.LegacyId, w))).ToArray();
        if (warnings.Length > 0)
        {
            writer.WriteLine("Warnings:");
            foreach (var (id, warning) in warnings)
            {
                writer.WriteLine($"  legacy user {id}: {warning}");
            }

            writer.WriteLine();
        }

        var totals = report.Totals;
        Consoles.WriteTable(console, ["SUMMARY", report.DryRun ? "WOULD MIGRATE" : "MIGRATED", "UNCHANGED", "SKIPPED", "CONFLICTS"],
            [Row("users", totals.Users), Row("steps", totals.Steps), Row("keys", totals.Keys)],
            1, 2, 3, 4);
        if (totals.FilesSkipped > 0)
        {
            writer.WriteLine($"files skipped: {totals.FilesSkipped}");
        }
    }

    public static string Result(UserOutcome outcome) => outcome switch
    {
        UserOutcome.WouldMigrate => "would migrate",
        UserOutcome.WouldUpdate => "would update",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static string[] Row(string name, Counts counts)
        => [name, Number(counts.Migrated), Number(counts.Unchanged), Number(counts.Skipped), Number(counts.Conflicts)];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonProblem Problem(MigrationProblem p) => new(p.File, p.Path, p.Line, p.BytePosition, p.Message);

    private sealed record JsonReport(
        bool DryRun,
        string Environment,
        string SecretStore,
        int ExitCode,
        JsonTotals Totals,
        IReadOnlyList<JsonFile> Files,
        IReadOnlyList<JsonUser> Users,
        IReadOnlyList<JsonProblem> Problems);

    private sealed record JsonTotals(Counts Users, Counts Steps, Counts Keys, int FilesSkipped);

    private sealed record JsonFile(string File, int Records, JsonProblem? Error);

    private sealed record JsonUser(
        string LegacyId,
        string File,
        string? Path,
        string? Issuer,
        string? Subject,
        string? UserKey,
        UserOutcome Result,
        int Steps,
        int Keys,
        IReadOnlyList<KeyHint> KeyHints,
        string? Detail,
        IReadOnlyList<JsonProblem> Problems,
        IReadOnlyList<string> Warnings);

    private sealed record JsonProblem(string File, string? Path, long? Line, long? BytePosition, string Message);
}
