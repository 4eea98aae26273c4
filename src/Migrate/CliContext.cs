using System.Collections;

namespace Onboarding.Migrate;

/// <summary>Where the tool writes and what it reads from its process: passed in so tests can run it in-process.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Whether stdout is a terminal: only then does the report get colours and the terminal's width.</summary>
    public bool OutIsTerminal { get; init; }

    public static CliContext FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, variables) { OutIsTerminal = !Console.IsOutputRedirected };
    }
}
