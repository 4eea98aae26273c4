using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

public abstract class WizardFlowTests(ApiFixture api)
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
            Assert.Equal(step, status["current_step"]!.GetValue<int>());
            Assert.Equal(step + 1, status["next_step"]!.GetValue<int>());
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

    [Fact]
    public async Task Every_route_serves_one_user_from_health_check_to_erasure()
    {
        var log = new ResponseLog();
        var subject = ApiFixture.NewSubject();
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        using var client = log.Client(api.Host, api.Issuer.Mint(subject, d => d.Claims["email"] = "walker@example.com"));
        using var anonymous = log.Client(api.Host);
        var called = new List<string>();

        async Task<JsonNode> Call(HttpClient who, string route, string path, object? body = null, HttpStatusCode status = HttpStatusCode.OK)
        {
            var method = ApiRoutes.All.Single(r => r.Name == route).Method;
            using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + path) { Content = body is null ? null : Infrastructure.Http.Json(body) };
            called.Add(route);
            return await (await who.SendAsync(request)).ExpectAsync(status);
        }

        Assert.Equal("healthy", (await Call(anonymous, "GetHealth", "health"))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await Call(anonymous, "GetHealthReady", "health/ready"))["status"]!.GetValue<string>());
        Assert.Equal(userKey, (await Call(client, "GetInit", "onboarding/init"))["user"]!["id"]!.GetValue<string>());
        Assert.Equal(6, (await Call(client, "GetConfig", "onboarding/config"))["total_steps"]!.GetValue<int>());
        Assert.Equal("walker@example.com", (await Call(client, "GetMe", "me"))["email"]!.GetValue<string>());
        Assert.NotNull((await Call(client, "StartOnboarding", "onboarding/start"))["started_at"]);

        Assert.Equal("saved", (await Call(client, "SaveApiKey", "onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey }))["status"]!.GetValue<string>());
        Assert.Equal("****mnop", (await Call(client, "ListApiKeys", "onboarding/api-keys"))["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("****mnop", (await Call(client, "ListApiKeysForWizard", "onboarding/api-keys/onboarding"))["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("configured", (await Call(client, "ValidateApiKeys", "onboarding/api-keys/validate"))["validation_results"]!["openai"]!["status"]!.GetValue<string>());
        Assert.Equal("****mnop", (await Call(client, "GetStep", "onboarding/step/1"))["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        await Call(client, "CompleteStep", "onboarding/step/1/complete");
        Assert.Equal("pending", (await Call(client, "SaveStep", "onboarding/step/2", new { website = "https://walk.example" }))["status"]!.GetValue<string>());
        await Call(client, "CompleteStep", "onboarding/step/2/complete");
        await Call(client, "CompleteStep", "onboarding/step/3/complete", StepData.Step3);
        await Call(client, "CompleteStep", "onboarding/step/4/complete", StepData.Step4);
        await Call(client, "SkipStep", "onboarding/step/5/skip");
        Assert.True((await Call(client, "GetStatus", "onboarding/status"))["can_proceed_to_final"]!.GetValue<bool>());
        Assert.Equal(83, (await Call(client, "GetProgress", "onboarding/progress"))["completion_percentage"]!.GetValue<int>());
        Assert.Equal(6, (await Call(client, "ResumeOnboarding", "onboarding/resume"))["next_step"]!.GetValue<int>());
        Assert.Equal(100, (await Call(client, "CompleteOnboarding", "onboarding/complete"))["completion_percentage"]!.GetValue<int>());
        Assert.Equal("https://walk.example", (await Call(client, "GetSummary", "onboarding/summary"))["website_url"]!.GetValue<string>());
        Assert.Equal("https://walk.example", (await Call(client, "GetWebsiteAnalysis", "onboarding/website-analysis"))["website_url"]!.GetValue<string>());
        Assert.Equal("Market notes", (await Call(client, "GetResearchPreferences", "onboarding/research-preferences"))["researchSummary"]!.GetValue<string>());
        var export = await Call(client, "ExportMe", "me/export");
        Assert.True(export["onboarding"]!["is_completed"]!.GetValue<bool>());
        Assert.Equal("****mnop", export["api_keys"]![0]!["hint"]!.GetValue<string>());

        Assert.Equal(0, (await Call(client, "ResetOnboarding", "onboarding/reset"))["progress"]!["completion_percentage"]!.GetValue<int>());
        Assert.Equal("https://walk.example", (await Call(client, "GetStep", "onboarding/step/2"))["data"]!["website"]!.GetValue<string>());
        await Call(client, "ResetOnboarding", "onboarding/reset?hard=true");
        Assert.Null((await Call(client, "GetStep", "onboarding/step/2"))["data"]);
        await Call(client, "DeleteApiKey", "onboarding/api-keys/openai", status: HttpStatusCode.NoContent);
        await Call(client, "SaveApiKey", "onboarding/api-keys", new { provider = "exa", api_key = StepData.ExaKey });
        await Call(client, "DeleteMe", "me", status: HttpStatusCode.NoContent);

        Assert.Empty(await PartitionDump.RowsAsync(api.Azurite, userKey));
        Assert.Empty(await PartitionDump.SecretRowsAsync(api.Azurite, userKey));
        Assert.Equal(1, (await Call(client, "GetInit", "onboarding/init"))["onboarding"]!["current_step"]!.GetValue<int>());
        Assert.Equal(ApiRoutes.All.Select(r => r.Name).Order(), called.Distinct().Order());
        log.AssertNeverContains(StepData.OpenAiKey);
        log.AssertNeverContains(StepData.ExaKey);
    }
}

public sealed class WizardFlowTestsOnServer(ApiFixture api) : WizardFlowTests(api), IClassFixture<ApiFixture>;

public sealed class WizardFlowTestsOnFunctions(FunctionsApiFixture api) : WizardFlowTests(api), IClassFixture<FunctionsApiFixture>;
