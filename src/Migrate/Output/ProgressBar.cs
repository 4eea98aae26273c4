using System.Globalization;

namespace Onboarding.Migrate.Output;

/// <summary>
/// A one-line progress bar on stderr, redrawn in place. Drawn only when stderr is a terminal, so logs, pipes and
/// scripts never see it.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, int total, bool enabled)
{
    private const int Width = 30;
    private int _lastLength;

    public void Show(int done, string label)
    {
        if (!enabled || total == 0)
        {
            return;
        }

        var filled = (int)Math.Round((double)Width * done / total);
        var line = string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {label}");
        if (line.Length > 78)
        {
            line = line[..78];
        }

        writer.Write('\r' + line.PadRight(_lastLength));
        _lastLength = line.Length;
        writer.Flush();
    }

    public void Clear()
    {
        if (!enabled || _lastLength == 0)
        {
            return;
        }

        writer.Write('\r' + new string(' ', _lastLength) + '\r');
        writer.Flush();
        _lastLength = 0;
    }
}
