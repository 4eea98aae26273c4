using System.Text.Json.Nodes;

namespace Onboarding.Migrate.Tests.Infrastructure;

/// <summary>One run of the CLI: its exit code and everything it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("No JSON on stdout.");

    /// <summary>The report entry of one legacy user (from <c>--json</c> output).</summary>
    public JsonNode User(string legacyId)
        => Json["users"]!.AsArray().Single(u => u!["legacy_id"]!.GetValue<string>() == legacyId)!;

    public string ResultOf(string legacyId) => User(legacyId)["result"]!.GetValue<string>();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the CLI in this process, with its own stdout, stderr and environment.</summary>
public static class Cli
{
    internal static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, ErrorIsTerminal: false, environment);
        var exitCode = await MigrateCli.InvokeAsync(args, context);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
