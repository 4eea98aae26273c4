using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

public sealed class WizardFlowTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_new_user_walks_the_whole_wizard_from_init_to_complete()
    {
        var (client, _) = api.NewUser();

        var init = await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(init["onboarding"]!["is_completed"]!.GetValue<bool>());
        Assert.Equal(1, init["onboarding"]!["current_step"]!.GetValue<int>());
        Assert.Equal(6, init["onboarding"]!["steps"]!.AsArray().Count);
        Assert.Equal(init["user"]!["id"]!.GetValue<string>(), init["session"]!["session_id"]!.GetValue<string>());

        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        for (var step = 1; step <= 4; step++)
        {
            var done = await (await client.PostJsonAsync($"api/onboarding/step/{step}/complete", StepData.For(step))).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(step, done["step_number"]!.GetValue<int>());
            var status = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(step + 1, status["current_step"]!.GetValue<int>());
        }

        await (await client.PostAsync("api/onboarding/step/5/skip", null)).ExpectAsync(HttpStatusCode.OK);
        var ready = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(ready["can_proceed_to_final"]!.GetValue<bool>());

        var finished = await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(100, finished["completion_percentage"]!.GetValue<int>());
        Assert.NotNull(finished["completed_at"]);

        var progress = await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(progress["is_completed"]!.GetValue<bool>());
        var steps = progress["steps"]!.AsArray();
        Assert.Equal(["completed", "completed", "completed", "completed", "skipped", "completed"], steps.Select(s => s!["status"]!.GetValue<string>()));

        var summary = await (await client.GetAsync("api/onboarding/summary")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://example.com", summary["website_url"]!.GetValue<string>());
        Assert.Equal("****mnop", summary["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("Helpful expert", summary["personalization_settings"]!["corePersona"]!["identity"]!.GetValue<string>());
    }
}
