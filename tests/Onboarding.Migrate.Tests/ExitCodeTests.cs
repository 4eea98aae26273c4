using Onboarding.Migrate.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>Invocation and configuration errors stop the run before anything is written, with their own exit codes.</summary>
public sealed class ExitCodeTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Missing_required_options_exit_2_and_say_which()
    {
        var run = await Cli.RunAsync(service.CliEnvironment, "--dry-run");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--source", run.Error, StringComparison.Ordinal);
        Assert.Contains("--user-map", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task A_missing_source_or_an_invalid_user_map_exits_2_before_touching_storage()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var subject = ServiceFixture.NewSubject();

        var noSource = await Cli.RunAsync(service.CliEnvironment, "--source", Path.Combine(legacy.Folder, "nope"), "--user-map", legacy.UserMap(("1", service.IssuerName, subject)));
        var noIssuer = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("1", null, subject)));
        var twice = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("1", service.IssuerName, subject), ("1", service.IssuerName, "other")));

        Assert.Equal(2, noSource.ExitCode);
        Assert.Contains("neither a file nor a folder", noSource.Error, StringComparison.Ordinal);
        Assert.Equal(2, noIssuer.ExitCode);
        Assert.Contains("line 2: Legacy user '1' has no issuer", noIssuer.Error, StringComparison.Ordinal);
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("line 3: Legacy user '1' is mapped more than once", twice.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await service.PartitionAsync(subject));
    }

    [Fact]
    public async Task The_environment_defaults_to_development_and_production_refuses_the_local_secret_store()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var subject = ServiceFixture.NewSubject();
        var map = legacy.UserMap(("1", service.IssuerName, subject));
        var production = service.CliEnvironment;
        production["DOTNET_ENVIRONMENT"] = "Production";

        var refused = await Cli.RunAsync(production, "--source", source, "--user-map", map);
        var development = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--dry-run");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("Environment: Production", refused.Error, StringComparison.Ordinal);
        Assert.Contains("local secret store is for development only", refused.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await service.PartitionAsync(subject));
        Assert.Equal(0, development.ExitCode);
        Assert.Contains("Environment: Development (DOTNET_ENVIRONMENT is not set)", development.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_storage_settings_exit_3_with_the_setting_to_give()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var environment = new Dictionary<string, string> { ["Secrets__LocalEncryptionKey"] = Onboarding.Tests.Infrastructure.ApiServer.LocalEncryptionKey };

        var run = await Cli.RunAsync(environment, "--source", source, "--user-map", legacy.UserMap(("1", service.IssuerName, ServiceFixture.NewSubject())));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("Storage:ConnectionString", run.Error, StringComparison.Ordinal);
    }
}
