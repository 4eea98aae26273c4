using System.Text;

namespace Onboarding.Migrate.Tests.Infrastructure;

/// <summary>A temporary folder of legacy files and a user map, deleted after the test.</summary>
public sealed class LegacyWorkspace : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("legacy-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A CSV user map (legacy_id,issuer,subject); a null issuer leaves the cell empty for --issuer.</summary>
    public string UserMap(params (string LegacyId, string? Issuer, string Subject)[] users)
    {
        var csv = new StringBuilder("legacy_id,issuer,subject\n");
        foreach (var (id, issuer, subject) in users)
        {
            csv.Append(id).Append(',').Append(issuer).Append(',').Append(subject).Append('\n');
        }

        var folder = Path.Combine(Folder, "maps");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"users-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
