using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>The same wizard calls under <c>Onboarding:Profile = Strict</c>: out-of-order steps and early finishes are refused.</summary>
public abstract class StrictProfileTests(StrictApiFixture api)
{
    [Fact]
    public async Task The_current_wizard_is_refused_at_its_first_data_step_and_cannot_finish()
    {
        var (http, _) = api.NewUser();
        var client = new FrontendClient(http);
        var config = await client.GetAsync("api/onboarding/config");
        Assert.True(config["enforce_order"]!.GetValue<bool>());
        Assert.Equal(1, config["minimum_api_keys"]!.GetValue<int>());
        Assert.All(config["steps"]!.AsArray(), s => Assert.True(s!["required"]!.GetValue<bool>()));

        var body = new System.Text.Json.Nodes.JsonObject { ["data"] = WizardBodies.Website(), ["validation_errors"] = new System.Text.Json.Nodes.JsonArray() };
        var order = await (await http.PostAsync("api/onboarding/step/2/complete", Infrastructure.Http.Json(body.ToJsonString()))).ExpectProblemAsync(HttpStatusCode.Conflict, "step-order");
        Assert.Equal("Complete step 1 before step 2.", order["detail"]!.GetValue<string>());
        await (await http.PostAsync("api/onboarding/complete", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "onboarding-incomplete");
    }

    [Fact]
    public async Task The_api_key_step_wizard_finishes_only_after_every_step_including_integrations()
    {
        var (http, _) = api.NewUser();
        var client = new FrontendClient(http);
        await client.SaveApiKeyAsync("gemini", WizardBodies.GeminiKey);
        await client.CompleteStepWithDataOnlyAsync(1, WizardBodies.ApiKeys());
        var website = WizardBodies.Website();
        await client.SetCurrentStepAsync(2, website);
        await client.SetCurrentStepAsync(3, WizardBodies.Research(website));
        await client.SetCurrentStepAsync(4, WizardBodies.Persona(WizardBodies.Research(website)));

        var early = await (await http.PostAsync("api/onboarding/step/6/complete", Infrastructure.Http.Json("{\"data\":{},\"validation_errors\":[]}"))).ExpectProblemAsync(HttpStatusCode.Conflict, "onboarding-incomplete");
        Assert.Contains("complete step 5 first", early["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await client.SetCurrentStepAsync(5, WizardBodies.Integrations());
        await WizardReplay.LaunchAsync(client);
    }
}

public sealed class StrictProfileTestsOnServer(StrictApiFixture api) : StrictProfileTests(api), IClassFixture<StrictApiFixture>;

public sealed class StrictProfileTestsOnFunctions(StrictFunctionsApiFixture api) : StrictProfileTests(api), IClassFixture<StrictFunctionsApiFixture>;
