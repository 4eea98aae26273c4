using System.Reflection;

namespace Onboarding.Infra.Tests;

internal static class RepositoryPaths
{
    /// <summary>The repository root, as the build saw it (Directory.Build.props' RepoRoot).</summary>
    public static string Root { get; } = Locate();

    public static string Infra => Path.Combine(Root, "infra");

    private static string Locate()
    {
        var root = typeof(RepositoryPaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "RepositoryRoot")?.Value;
        if (string.IsNullOrEmpty(root) || !File.Exists(Path.Combine(root, "infra", "main.bicep")))
        {
            throw new InvalidOperationException($"infra/main.bicep not found under the repository root '{root}'.");
        }

        return Path.GetFullPath(root);
    }
}
