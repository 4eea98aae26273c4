using Onboarding.Migrate.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>What cannot be migrated is reported with where it is, and nothing partial is written for that user.</summary>
public sealed class InvalidInputTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_malformed_file_is_reported_with_line_and_byte_and_the_other_files_still_migrate()
    {
        using var legacy = new LegacyWorkspace();
        legacy.Write(".onboarding_progress.json", "{\n  \"1\": {\n    \"steps\": [\n      { \"step_number\": 1, }\n    ]\n  }\n}\n");
        legacy.Write(".onboarding_progress_3.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var (ivan, judy) = (ServiceFixture.NewSubject("ivan"), ServiceFixture.NewSubject("judy"));
        var map = legacy.UserMap(("1", service.IssuerName, ivan), ("3", service.IssuerName, judy));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", legacy.Folder, "--user-map", map, "--json");

        Assert.Equal(1, run.ExitCode);
        var file = run.Json["files"]!.AsArray().Single(f => f!["file"]!.GetValue<string>().EndsWith(".onboarding_progress.json", StringComparison.Ordinal))!;
        Assert.Equal(4, file["error"]!["line"]!.GetValue<long>());
        Assert.Equal(27, file["error"]!["byte_position"]!.GetValue<long>());
        Assert.Equal(1, run.Json["totals"]!["files_skipped"]!.GetValue<int>());
        Assert.Equal("migrated", run.ResultOf("3"));
        Assert.Equal(string.Empty, await service.PartitionAsync(ivan));

        var human = await Cli.RunAsync(service.CliEnvironment, "--source", legacy.Folder, "--user-map", map);
        Assert.Contains(".onboarding_progress.json line 4, byte 27: Not valid JSON", human.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_step_skips_only_that_user_and_names_its_json_path()
    {
        using var legacy = new LegacyWorkspace();
        var broken = LegacyData.JustStarted(LegacyKeys.OpenAi()).Replace("\"step_number\": 2", "\"step_number\": 9", StringComparison.Ordinal);
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", broken), ("2", LegacyData.JustStarted(LegacyKeys.OpenAi()))));
        var (kim, leo) = (ServiceFixture.NewSubject("kim"), ServiceFixture.NewSubject("leo"));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map",
            legacy.UserMap(("1", service.IssuerName, kim), ("2", service.IssuerName, leo)), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("skipped", run.ResultOf("1"));
        var problem = run.User("1")["problems"]!.AsArray().Single()!;
        Assert.Equal("$['1'].steps[1].step_number", problem["path"]!.GetValue<string>());
        Assert.Contains("Unknown step 9", problem["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("migrated", run.ResultOf("2"));

        // Step 1 of the skipped user was valid, key included: none of it is written.
        Assert.Equal(string.Empty, await service.PartitionAsync(kim));
        Assert.Null(await service.StoredSecretAsync(kim, "openai"));
    }

    [Fact]
    public async Task An_unmapped_user_is_skipped_and_reported()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", LegacyData.JustStarted(LegacyKeys.OpenAi())), ("77", LegacyData.JustStarted(LegacyKeys.OpenAi()))));
        var mia = ServiceFixture.NewSubject("mia");

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("1", service.IssuerName, mia)), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("migrated", run.ResultOf("1"));
        Assert.Equal("skipped", run.ResultOf("77"));
        Assert.Null(run.User("77")["user_key"]);
        Assert.Contains("not in the user map", run.User("77")["problems"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_an_invalid_format_or_an_unknown_provider_skips_the_whole_user()
    {
        using var legacy = new LegacyWorkspace();
        var goodKey = LegacyKeys.OpenAi();
        var badKey = "AIza-too-short-" + Guid.NewGuid().ToString("N")[..8];
        var unknownKey = "xx-" + Guid.NewGuid().ToString("N");
        var withBadFormat = LegacyData.InProgress(goodKey, badKey);
        var withUnknownProvider = LegacyData.JustStarted(LegacyKeys.OpenAi())
            .Replace("\"api_keys\": {", $"\"api_keys\": {{ \"acme\": \"{unknownKey}\",", StringComparison.Ordinal);
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", withBadFormat), ("2", withUnknownProvider)));
        var (nina, omar) = (ServiceFixture.NewSubject("nina"), ServiceFixture.NewSubject("omar"));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map",
            legacy.UserMap(("1", service.IssuerName, nina), ("2", service.IssuerName, omar)), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("skipped", run.ResultOf("1"));
        Assert.Equal("$['1'].steps[0].data.api_keys.gemini", run.User("1")["problems"]![0]!["path"]!.GetValue<string>());
        Assert.Equal("skipped", run.ResultOf("2"));
        Assert.Equal("$['2'].steps[0].data.api_keys.acme", run.User("2")["problems"]![0]!["path"]!.GetValue<string>());
        Assert.Equal(string.Empty, await service.PartitionAsync(nina));
        Assert.Null(await service.StoredSecretAsync(nina, "openai"));
        Assert.Equal(string.Empty, await service.PartitionAsync(omar));
        Assert.DoesNotContain(badKey, run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(unknownKey, run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(goodKey, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_with_records_in_two_files_is_skipped_as_ambiguous()
    {
        using var legacy = new LegacyWorkspace();
        legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        legacy.Write(".onboarding_progress_1.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var pat = ServiceFixture.NewSubject("pat");

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", legacy.Folder, "--user-map", legacy.UserMap(("1", service.IssuerName, pat)), "--json");

        Assert.Equal(1, run.ExitCode);
        var results = run.Json["users"]!.AsArray().Select(u => u!["result"]!.GetValue<string>()).ToArray();
        Assert.Equal(["skipped", "skipped"], results);
        Assert.Contains("more than one record", run.Json["problems"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await service.PartitionAsync(pat));
    }
}
