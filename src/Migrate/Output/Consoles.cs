using Spectre.Console;

namespace Onboarding.Migrate.Output;

/// <summary>
/// Spectre.Console consoles over the tool's writers. A writer that is not a terminal gets plain text: no ANSI codes,
/// no colours, nothing interactive, and no wrapping at a guessed width, so pipes, files and scripts read it as is.
/// </summary>
internal static class Consoles
{
    private const int RedirectedWidth = 4096;

    public static IAnsiConsole For(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>A borderless, column-aligned table (headers as given); the columns in <paramref name="rightAligned"/> are numbers.</summary>
    public static void WriteTable(IAnsiConsole console, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, params int[] rightAligned)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(headers);
        var table = new Table().Border(TableBorder.None);
        for (var i = 0; i < headers.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(headers[i])).PadLeft(0).PadRight(i == headers.Count - 1 ? 0 : 2);
            table.AddColumn(rightAligned.Contains(i) ? column.RightAligned() : column);
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        console.Write(table);
    }
}
