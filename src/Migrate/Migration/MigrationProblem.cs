using System.Globalization;

namespace Onboarding.Migrate.Migration;

/// <summary>
/// Why something was not migrated, and where: a JSON path inside the file, or a line and byte position when the file
/// could not be read at all (1-based, from the parser). Messages never contain an API key.
/// </summary>
internal sealed record MigrationProblem(string File, string? Path, long? Line, long? BytePosition, string Message)
{
    public static MigrationProblem At(string file, string path, string message) => new(file, path, null, null, message);

    public string Location
    {
        get
        {
            if (Path is not null)
            {
                return Path;
            }

            if (Line is not null)
            {
                return BytePosition is null
                    ? string.Create(CultureInfo.InvariantCulture, $"line {Line}")
                    : string.Create(CultureInfo.InvariantCulture, $"line {Line}, byte {BytePosition}");
            }

            return string.Empty;
        }
    }

    public override string ToString() => Location.Length == 0 ? $"{File}: {Message}" : $"{File} {Location}: {Message}";
}
