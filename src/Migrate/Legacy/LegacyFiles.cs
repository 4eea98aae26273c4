using System.Text.RegularExpressions;

namespace Onboarding.Migrate.Legacy;

/// <summary>
/// Finds the legacy progress files: <c>.onboarding_progress.json</c> (shared) and <c>.onboarding_progress_{user}.json</c>
/// (one user each), with or without the leading dot. A file named on the command line is read whatever its name.
/// </summary>
internal static partial class LegacyFiles
{
    /// <summary>The files to read, in a stable order; throws <see cref="FileNotFoundException"/> when there are none.</summary>
    public static IReadOnlyList<string> Find(string source)
    {
        if (File.Exists(source))
        {
            return [source];
        }

        if (!Directory.Exists(source))
        {
            throw new FileNotFoundException($"The source '{source}' is neither a file nor a folder.", source);
        }

        var files = Directory.EnumerateFiles(source)
            .Where(f => FileName().IsMatch(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return files.Length > 0
            ? files
            : throw new FileNotFoundException(
                $"The folder '{source}' holds no legacy progress file (.onboarding_progress.json or .onboarding_progress_{{user}}.json).", source);
    }

    /// <summary>The user id in a per-user file's name, e.g. "42" for <c>.onboarding_progress_42.json</c>; null for other names.</summary>
    public static string? UserFromFileName(string path)
    {
        var match = FileName().Match(Path.GetFileName(path));
        return match.Success && match.Groups["user"].Success ? match.Groups["user"].Value : null;
    }

    [GeneratedRegex(@"^\.?onboarding_progress(?:_(?<user>[^/\\]+))?\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
