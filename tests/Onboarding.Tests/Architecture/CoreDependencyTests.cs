using System.Text.RegularExpressions;
using Onboarding.Server.Azurite;
using Xunit;

namespace Onboarding.Tests.Architecture;

/// <summary>
/// Core's folders depend in one direction (docs/architecture.md): only Http builds responses, and the domain folders
/// never name Http. Read from the sources, so a new <c>using</c> or a fully qualified name is caught alike.
/// </summary>
public sealed partial class CoreDependencyTests
{
    /// <summary>Which Core folders each folder may use. Hosting, the hosts' shared wiring, may use all of them.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Hosting"] = ["ApiKeys", "Http", "Identity", "Onboarding", "Storage", "Telemetry"],
        ["Http"] = ["ApiKeys", "Identity", "Onboarding", "Storage", "Telemetry"],
        ["Onboarding"] = ["ApiKeys", "Identity", "Storage"],
        ["ApiKeys"] = ["Identity", "Onboarding", "Storage"],
        ["Identity"] = [],
        ["Storage"] = ["Onboarding"],
        ["Telemetry"] = [],
    };

    private static string CoreRoot => Path.Combine(AzuriteProcess.FindRepositoryRoot(), "src", "Core");

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var violations = Allowed.Keys
            .SelectMany(folder => References(folder).Where(r => !Allowed[folder].Contains(r.Target)).Select(r => $"{r.File} uses Onboarding.Core.{r.Target}"))
            .ToArray();

        Assert.True(violations.Length == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_domain_folders_build_no_http_results()
    {
        var offenders = new[] { "Onboarding", "ApiKeys", "Identity", "Storage" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(CoreRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => HttpResult().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(CoreRoot, file))
            .ToArray();

        Assert.True(offenders.Length == 0, "Answer with a Rejection and let Http map it: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_scan_sees_the_references_that_exist()
    {
        // Guards the scan itself: Http's handlers call the onboarding service, so a scan that finds nothing is broken.
        Assert.Contains(References("Http"), r => r.Target == "Onboarding");
        Assert.Contains(References("Onboarding"), r => r.Target == "Storage");
    }

    private static IEnumerable<(string File, string Target)> References(string folder)
        => Directory.EnumerateFiles(Path.Combine(CoreRoot, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => CoreNamespace().Matches(File.ReadAllText(file))
                .Select(m => m.Groups[1].Value)
                .Where(target => target != folder && Allowed.ContainsKey(target))
                .Distinct()
                .Select(target => (Path.GetRelativePath(CoreRoot, file), target)));

    [GeneratedRegex(@"\bOnboarding\.Core\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex CoreNamespace();

    [GeneratedRegex(@"\b(IResult|TypedResults|Results<|ProblemHttpResult|Problems\.)")]
    private static partial Regex HttpResult();
}
