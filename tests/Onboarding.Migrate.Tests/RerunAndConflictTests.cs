using System.Net;
using Onboarding.Migrate.Tests.Infrastructure;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>Running again, dry runs, and users who moved on in the new service: nothing is ever overwritten silently.</summary>
public sealed class RerunAndConflictTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_second_run_changes_nothing_not_even_an_etag()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json",
            LegacyData.Shared(("1", LegacyData.InProgress(LegacyKeys.OpenAi(), LegacyKeys.Gemini())), ("2", LegacyData.Finished(LegacyKeys.Anthropic(), LegacyKeys.Tavily()))));
        var (alice, bob) = (ServiceFixture.NewSubject("alice"), ServiceFixture.NewSubject("bob"));
        var map = legacy.UserMap(("1", service.IssuerName, alice), ("2", service.IssuerName, bob));
        var first = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map);
        Assert.True(first.ExitCode == 0, first.ToString());
        var rows = (await service.PartitionAsync(alice), await service.PartitionAsync(bob));
        var secrets = (await service.SecretRowsAsync(alice), await service.SecretRowsAsync(bob));

        var second = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("unchanged", second.ResultOf("1"));
        Assert.Equal("unchanged", second.ResultOf("2"));
        Assert.Equal(2, second.Json["totals"]!["users"]!["unchanged"]!.GetValue<int>());
        Assert.Contains("etag=", rows.Item1, StringComparison.Ordinal);
        Assert.Equal(rows, (await service.PartitionAsync(alice), await service.PartitionAsync(bob)));
        Assert.Equal(secrets, (await service.SecretRowsAsync(alice), await service.SecretRowsAsync(bob)));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_says_what_a_real_run_would_do()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_5.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var erin = ServiceFixture.NewSubject("erin");
        var map = legacy.UserMap(("5", service.IssuerName, erin));

        var dry = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--dry-run", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(dry.Json["dry_run"]!.GetValue<bool>());
        Assert.Equal("would_migrate", dry.ResultOf("5"));
        Assert.Equal(string.Empty, await service.PartitionAsync(erin));
        Assert.Equal(string.Empty, await service.SecretRowsAsync(erin));
        Assert.Null(await service.StoredSecretAsync(erin, "openai"));

        var real = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");
        Assert.Equal("migrated", real.ResultOf("5"));
    }

    [Fact]
    public async Task A_dry_run_does_not_even_create_the_table()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var table = $"dry{Guid.NewGuid():N}";

        var dry = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("1", service.IssuerName, ServiceFixture.NewSubject())),
            "--table-name", table, "--dry-run", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal("would_migrate", dry.ResultOf("1"));
        Assert.Empty(await service.Azurite.Tables.QueryAsync(t => t.Name == table).ToListAsync());
    }

    [Fact]
    public async Task A_user_who_progressed_after_the_migration_is_a_conflict_and_is_not_overwritten()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_8.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var frank = ServiceFixture.NewSubject("frank");
        var map = legacy.UserMap(("8", service.IssuerName, frank));
        Assert.Equal(0, (await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map)).ExitCode);

        using (var client = service.ClientFor(frank))
        {
            await (await client.PostJsonAsync("api/onboarding/step/2/complete", new { data = new { website = "https://moved-on.example" } })).ExpectAsync(HttpStatusCode.OK);
        }

        var progressed = await service.PartitionAsync(frank);

        var rerun = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");

        Assert.Equal(1, rerun.ExitCode);
        Assert.Equal("conflict", rerun.ResultOf("8"));
        Assert.Contains("changed in the new service", rerun.User("8")["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, rerun.Json["totals"]!["users"]!["conflicts"]!.GetValue<int>());
        Assert.Equal(progressed, await service.PartitionAsync(frank));
        Assert.Equal("https://moved-on.example", (await service.GetAsync(frank, "api/onboarding/step/2"))["data"]!["website"]!.GetValue<string>());

        // The same holds when the legacy record changed too: the user's newer progress wins.
        legacy.Write(".onboarding_progress_8.json", LegacyData.JustStarted(LegacyKeys.OpenAi(), "https://edited-legacy.example"));
        var edited = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");
        Assert.Equal("conflict", edited.ResultOf("8"));
        Assert.Equal(progressed, await service.PartitionAsync(frank));
    }

    [Fact]
    public async Task A_user_who_started_in_the_new_service_before_the_migration_is_a_conflict()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_9.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var grace = ServiceFixture.NewSubject("grace");
        using (var client = service.ClientFor(grace))
        {
            await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        }

        var before = await service.PartitionAsync(grace);

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("9", service.IssuerName, grace)), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("conflict", run.ResultOf("9"));
        Assert.Contains("did not come from a migration", run.User("9")["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await service.PartitionAsync(grace));
        Assert.Null(await service.StoredSecretAsync(grace, "openai"));
    }

    [Fact]
    public async Task An_edited_legacy_record_is_applied_again_while_the_user_has_not_touched_the_migrated_state()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_11.json", LegacyData.InProgress(LegacyKeys.OpenAi(), LegacyKeys.Gemini()));
        var heidi = ServiceFixture.NewSubject("heidi");
        var map = legacy.UserMap(("11", service.IssuerName, heidi));
        Assert.Equal(0, (await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map)).ExitCode);

        var newKey = LegacyKeys.OpenAi();
        legacy.Write(".onboarding_progress_11.json", LegacyData.JustStarted(newKey, "https://corrected.example"));
        var dry = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json", "--dry-run");
        Assert.Equal("would_update", dry.ResultOf("11"));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("updated", run.ResultOf("11"));
        var progress = await service.GetAsync(heidi, "api/onboarding/progress");
        Assert.Equal(["completed", "pending", "pending", "pending", "pending", "pending"], progress["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()));
        Assert.Equal("https://corrected.example", progress["steps"]![1]!["data"]!["website"]!.GetValue<string>());
        Assert.Null(progress["steps"]![2]!["data"]);
        Assert.Equal(newKey, await service.StoredSecretAsync(heidi, "openai"));
        Assert.NotNull(await service.StoredSecretAsync(heidi, "gemini")); // the tool adds and replaces keys, never deletes them
        Assert.Equal("unchanged", (await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json")).ResultOf("11"));
    }
}
