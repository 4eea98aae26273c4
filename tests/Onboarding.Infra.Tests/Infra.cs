using Onboarding.Infra.Tests.Arm;
using Onboarding.Infra.Tests.Bicep;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>
/// The Bicep CLI results the tests share. Each command runs once per test run, however many tests read it.
/// </summary>
internal static class Infra
{
    public const string MainTemplate = "infra/main.bicep";

    public const string OperatorPrincipalId = "11111111-2222-3333-4444-555555555555";

    /// <summary>Parameters of the sample deployment the snapshot tests look at.</summary>
    public static readonly IReadOnlyDictionary<string, string> SampleParameters = new Dictionary<string, string>
    {
        ["environmentName"] = "'ci'",
        ["authAuthority"] = "'https://issuer.example.com'",
        ["authAudience"] = "'api://onboarding'",
        ["authAuthorizedParties"] = "'https://app.example.com, https://admin.example.com'",
        ["corsAllowedOrigins"] = "'https://app.example.com,https://admin.example.com'",
    };

    private static readonly Lazy<Task<BicepRun>> BuildRun = new(() =>
        BicepCli.RunAsync(RepositoryPaths.Root, "build", MainTemplate, "--stdout", "--diagnostics-format", "sarif"));

    private static readonly Lazy<Task<BicepRun>> LintRun = new(() =>
        BicepCli.RunAsync(RepositoryPaths.Root, "lint", MainTemplate, "--diagnostics-format", "sarif"));

    private static readonly Lazy<Task<DeploymentSnapshot>> SampleSnapshot = new(() =>
        DeploymentSnapshot.CreateAsync(SampleParameters));

    private static readonly Lazy<Task<DeploymentSnapshot>> OperatorSnapshot = new(() =>
        DeploymentSnapshot.CreateAsync(new Dictionary<string, string>(SampleParameters)
        {
            ["environmentName"] = "'prod'",
            ["principalId"] = $"'{OperatorPrincipalId}'",
        }));

    public static Task<BicepRun> BuildAsync()
    {
        SkipUnlessBicepRunsHere();
        return BuildRun.Value;
    }

    public static Task<BicepRun> LintAsync()
    {
        SkipUnlessBicepRunsHere();
        return LintRun.Value;
    }

    /// <summary>A fresh parse of the compiled template (callers may modify it).</summary>
    public static async Task<ArmTemplate> CompiledTemplateAsync()
    {
        var build = await BuildAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"{build.Command} failed ({build.ExitCode}):\n{build.StandardError}");
        }

        return ArmTemplate.Parse(build.StandardOutput);
    }

    /// <summary>The sample deployment (<see cref="SampleParameters"/>, no operator).</summary>
    public static Task<DeploymentSnapshot> SampleSnapshotAsync()
    {
        SkipUnlessBicepRunsHere();
        return SampleSnapshot.Value;
    }

    /// <summary>Another environment ('prod') of the sample deployment, with <see cref="OperatorPrincipalId"/> as the optional user.</summary>
    public static Task<DeploymentSnapshot> OperatorSnapshotAsync()
    {
        SkipUnlessBicepRunsHere();
        return OperatorSnapshot.Value;
    }

    private static void SkipUnlessBicepRunsHere() =>
        Assert.SkipUnless(BicepCli.IsSupportedHere, "The Azure.Bicep.CommandLine.linux-x64 package runs on linux-x64 only.");
}
