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
        using var error = new StringWriter();
        return await RunAsync(environment, error, args);
    }

    /// <summary>Runs the CLI with <paramref name="error"/> as its stderr, so a test can watch it while it runs.</summary>
    internal static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, StringWriter error, params string[] args)
    {
        using var output = new StringWriter();
        var context = new CliContext(output, error, ErrorIsTerminal: false, environment);
        var exitCode = await MigrateCli.InvokeAsync(args, context);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>A stderr that tells when a line containing <paramref name="text"/> has been written.</summary>
public sealed class WatchedWriter(string text) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void Write(char value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        Check();
    }

    private void Check()
    {
        if (!_seen.Task.IsCompleted && ToString().Contains(text, StringComparison.Ordinal))
        {
            _seen.TrySetResult();
        }
    }
}
