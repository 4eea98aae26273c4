using System.Text.Json;
using Onboarding.Infra.Tests.Bicep;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>infra/ compiles and lints clean with the pinned Bicep CLI, and the linter is not muzzled.</summary>
public sealed class BicepToolingTests
{
    [Fact]
    public async Task Main_template_builds_with_no_errors_or_warnings()
    {
        var build = await Infra.BuildAsync();

        var problems = BicepDiagnostics.ParseSarif(build.StandardError).Where(d => d.IsErrorOrWarning).ToList();
        Assert.True(build.ExitCode == 0 && problems.Count == 0,
            $"{build.Command} exited {build.ExitCode} with:\n{string.Join('\n', problems)}\n{build.StandardError}");
        using var template = JsonDocument.Parse(build.StandardOutput);
        Assert.EndsWith("deploymentTemplate.json#", template.RootElement.GetProperty("$schema").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_template_lints_with_no_errors_or_warnings()
    {
        var lint = await Infra.LintAsync();

        var problems = BicepDiagnostics.ParseSarif(lint.StandardOutput).Where(d => d.IsErrorOrWarning).ToList();
        Assert.True(lint.ExitCode == 0 && problems.Count == 0,
            $"{lint.Command} exited {lint.ExitCode} with:\n{string.Join('\n', problems)}\n{lint.StandardError}");
    }

    [Fact]
    public async Task Lint_check_sees_a_warning_when_there_is_one()
    {
        Assert.SkipUnless(BicepCli.IsSupportedHere, "The Azure.Bicep.CommandLine.linux-x64 package runs on linux-x64 only.");
        var workspace = Directory.CreateTempSubdirectory("onboarding-lint-");
        try
        {
            // Outside infra/, so the default rule levels apply: an unused parameter is a warning.
            await File.WriteAllTextAsync(
                Path.Combine(workspace.FullName, "unused.bicep"),
                "param unused string\n",
                TestContext.Current.CancellationToken);

            var lint = await BicepCli.RunAsync(workspace.FullName, "lint", "unused.bicep", "--diagnostics-format", "sarif");

            var diagnostic = Assert.Single(BicepDiagnostics.ParseSarif(lint.StandardOutput));
            Assert.True(diagnostic.IsErrorOrWarning);
            Assert.Equal("no-unused-params", diagnostic.RuleId);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    [Fact]
    public void Bicepconfig_switches_no_linter_rule_off()
    {
        var path = Path.Combine(RepositoryPaths.Infra, "bicepconfig.json");
        if (!File.Exists(path))
        {
            return; // the defaults apply
        }

        using var config = JsonDocument.Parse(
            File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!config.RootElement.TryGetProperty("analyzers", out var analyzers))
        {
            return;
        }

        var core = analyzers.GetProperty("core");
        Assert.False(core.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False, "The linter is disabled.");
        if (core.TryGetProperty("rules", out var rules))
        {
            var silenced = rules.EnumerateObject()
                .Where(rule => rule.Value.TryGetProperty("level", out var level)
                    && level.GetString() is not ("warning" or "error"))
                .Select(rule => rule.Name)
                .ToList();
            Assert.True(silenced.Count == 0, $"bicepconfig.json may only raise rules to warning or error; it turns down: {string.Join(", ", silenced)}");
        }
    }
}
