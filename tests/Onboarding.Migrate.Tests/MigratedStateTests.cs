using System.Text.Json.Nodes;
using Onboarding.Migrate.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>What a migrated user finds in the new service, read through its real API with the user's own token.</summary>
public sealed class MigratedStateTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_shared_file_with_two_users_lands_in_each_users_partition_as_the_legacy_file_said()
    {
        using var legacy = new LegacyWorkspace();
        var (openAi, gemini, anthropic, tavily) = (LegacyKeys.OpenAi(), LegacyKeys.Gemini(), LegacyKeys.Anthropic(), LegacyKeys.Tavily());
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", LegacyData.InProgress(openAi, gemini)), ("2", LegacyData.Finished(anthropic, tavily))));
        var (alice, bob) = (ServiceFixture.NewSubject("alice"), ServiceFixture.NewSubject("bob"));
        var map = legacy.UserMap(("1", service.IssuerName, alice), ("2", service.IssuerName, bob));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("migrated", run.ResultOf("1"));
        Assert.Equal("migrated", run.ResultOf("2"));

        // Legacy user 1: three steps done, a persona draft, keys from step 1's data.
        var progress = await service.GetAsync(alice, "api/onboarding/progress");
        Assert.False(progress["is_completed"]!.GetValue<bool>());
        Assert.Equal(3, progress["current_step"]!.GetValue<int>());
        Assert.Equal(50, progress["completion_percentage"]!.GetValue<int>());
        Assert.Equal(Utc("2024-05-01T10:00:00Z"), Time(progress["started_at"]));
        Assert.Equal(Utc("2024-05-01T10:30:00Z"), Time(progress["last_updated"]));
        var steps = progress["steps"]!.AsArray();
        Assert.Equal(["completed", "completed", "completed", "pending", "pending", "pending"], steps.Select(s => s!["status"]!.GetValue<string>()));
        Assert.Equal(Utc("2024-05-01T10:20:30.123456Z"), Time(steps[0]!["completed_at"]));
        Assert.Null(steps[3]!["completed_at"]);
        Assert.Equal("openai", steps[0]!["data"]!["selected_provider"]!.GetValue<string>());
        Assert.Equal(LegacyKeys.Mask(openAi), steps[0]!["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal(LegacyKeys.Mask(gemini), steps[0]!["data"]!["api_keys"]!["gemini"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"website":"https://legacy.example","analysis":{"tone":"warm"}}"""), steps[1]!["data"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"researchSummary":"Market notes","competitors":["https://rival.example"]}"""), steps[2]!["data"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"corePersona":{"identity":"Draft persona"}}"""), steps[3]!["data"]));
        Assert.Null(steps[4]!["data"]);

        var aliceKeys = await service.GetAsync(alice, "api/onboarding/api-keys");
        Assert.Equal(2, aliceKeys["total_providers"]!.GetValue<int>());
        Assert.Equal(LegacyKeys.Mask(gemini), aliceKeys["api_keys"]!["gemini"]!.GetValue<string>());
        Assert.Equal(LegacyKeys.Mask(openAi), aliceKeys["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal(openAi, await service.StoredSecretAsync(alice, "openai"));
        Assert.Equal(gemini, await service.StoredSecretAsync(alice, "gemini"));

        // Legacy user 2: finished, step 5 skipped, keys from the top-level map.
        var finished = await service.GetAsync(bob, "api/onboarding/progress");
        Assert.True(finished["is_completed"]!.GetValue<bool>());
        Assert.Equal(100, finished["completion_percentage"]!.GetValue<int>());
        Assert.Equal(Utc("2024-06-02T06:20:00Z"), Time(finished["completed_at"]));
        Assert.Equal(["completed", "completed", "completed", "completed", "skipped", "completed"],
            finished["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()));
        Assert.Equal("https://finished.example", (await service.GetAsync(bob, "api/onboarding/summary"))["website_url"]!.GetValue<string>());
        var bobKeys = await service.GetAsync(bob, "api/onboarding/api-keys");
        Assert.Equal(["anthropic", "tavily"], bobKeys["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(LegacyKeys.Mask(anthropic), bobKeys["api_keys"]!["anthropic"]!.GetValue<string>());
        Assert.Equal(tavily, await service.StoredSecretAsync(bob, "tavily"));
    }

    [Fact]
    public async Task A_per_user_file_takes_the_legacy_user_id_from_its_file_name()
    {
        using var legacy = new LegacyWorkspace();
        var openAi = LegacyKeys.OpenAi();
        legacy.Write(".onboarding_progress_42.json", LegacyData.JustStarted(openAi));
        var carol = ServiceFixture.NewSubject("carol");
        var map = legacy.UserMap(("42", null, carol));

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", legacy.Folder, "--user-map", map, "--issuer", service.IssuerName, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(service.UserKey(carol), run.User("42")["user_key"]!.GetValue<string>());
        var step2 = await service.GetAsync(carol, "api/onboarding/step/2");
        Assert.Equal("pending", step2["status"]!.GetValue<string>());
        Assert.Equal("https://draft.example", step2["data"]!["website"]!.GetValue<string>());
        var status = await service.GetAsync(carol, "api/onboarding/status");
        Assert.Equal(1, status["current_step"]!.GetValue<int>());
        Assert.Equal(LegacyKeys.Mask(openAi), (await service.GetAsync(carol, "api/onboarding/api-keys"))["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_migrated_user_carries_on_in_the_wizard_where_the_legacy_app_left_off()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_7.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var dave = ServiceFixture.NewSubject("dave");

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("7", service.IssuerName, dave)));
        Assert.True(run.ExitCode == 0, run.ToString());

        // Step 1's key is already stored, so step 2 can be completed with the draft the legacy app kept.
        using var client = service.ClientFor(dave);
        var response = await client.PostAsync("api/onboarding/step/2/complete", Onboarding.Tests.Infrastructure.Http.Json("{}"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await service.GetAsync(dave, "api/onboarding/status"))["current_step"]!.GetValue<int>());
    }

    private static DateTimeOffset Utc(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(JsonNode? node) => node is null ? null : DateTimeOffset.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
