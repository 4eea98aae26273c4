using System.Diagnostics;
using System.Text.Json.Nodes;
using Onboarding.Migrate.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>The built tool, run as its own process with `dotnet Onboarding.Migrate.dll`, as an operator runs it.</summary>
public sealed class CliProcessTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task The_built_tool_parses_its_arguments_and_exits_0_1_or_2()
    {
        using var legacy = new LegacyWorkspace();
        var openAi = LegacyKeys.OpenAi();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", LegacyData.JustStarted(openAi)), ("2", LegacyData.JustStarted(LegacyKeys.OpenAi()))));
        var (tom, uma) = (ServiceFixture.NewSubject("tom"), ServiceFixture.NewSubject("uma"));
        var fullMap = legacy.UserMap(("1", null, tom), ("2", null, uma));
        var partialMap = legacy.UserMap(("1", null, tom));

        var help = await RunAsync("--help");
        var usage = await RunAsync("--source", source, "--unknown-option");
        var partial = await RunAsync("--source", source, "--user-map", partialMap, "--issuer", service.IssuerName, "--json");
        var full = await RunAsync("--source", source, "--user-map", fullMap, "--issuer", service.IssuerName, "--json");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--user-map", help.Out, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--unknown-option", usage.Error, StringComparison.Ordinal);
        Assert.True(partial.ExitCode == 1, partial.ToString());
        Assert.Equal("migrated", partial.ResultOf("1"));
        Assert.Equal("skipped", partial.ResultOf("2"));
        Assert.True(full.ExitCode == 0, full.ToString());
        Assert.Equal("unchanged", full.ResultOf("1"));
        Assert.Equal("migrated", full.ResultOf("2"));
        Assert.Equal(0, full.Json["exit_code"]!.GetValue<int>());
        Assert.DoesNotContain(openAi, partial.Out + partial.Error + full.Out + full.Error, StringComparison.Ordinal);
        Assert.Equal(openAi, await service.StoredSecretAsync(tom, "openai"));
    }

    private async Task<CliRun> RunAsync(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Onboarding.Migrate.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (name, value) in service.CliEnvironment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(process.ExitCode, await output, await error);
    }
}
