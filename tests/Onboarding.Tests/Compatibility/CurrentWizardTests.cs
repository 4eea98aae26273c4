using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>
/// The ALwrity frontend's wizard as it is today (intro, website, research, personalization, integrations, finish)
/// against the default configuration: every call succeeds, from init to complete, on one device or resumed on another.
/// </summary>
public abstract class CurrentWizardTests(ApiFixture api)
{
    [Fact]
    public async Task The_current_wizard_goes_from_init_to_complete_without_a_4xx()
    {
        var client = new FrontendClient(api.NewUser().Client);

        var init = await client.InitAsync();
        Assert.Equal(1, init["onboarding"]!["current_step"]!.GetValue<int>());
        Assert.Equal(0, init["onboarding"]!["completion_percentage"]!.GetValue<int>());
        Assert.Equal(2, WizardReplay.OpenedStep(init));
        Assert.Equal(1, init["onboarding"]!["next_step"]!.GetValue<int>());

        await WizardReplay.RunFromAsync(client, 1, []);

        Assert.DoesNotContain(client.Calls, c => c.Contains("step/1/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task A_resume_on_a_new_device_after_each_step_opens_the_next_step_and_finishes(int lastStepShown)
    {
        var (first, subject) = api.NewUser();
        var device1 = new FrontendClient(first);
        await device1.InitAsync();
        var stepData = new JsonObject();
        for (var step = 2; step <= lastStepShown; step++)
        {
            var body = step switch
            {
                2 => WizardBodies.Website(),
                3 => WizardBodies.Research(stepData),
                4 => WizardBodies.Persona(stepData),
                _ => WizardBodies.Integrations(),
            };
            await device1.SetCurrentStepAsync(step, body);
            stepData = step < 5 ? body : stepData;
        }

        // A new device: no local storage, a new token for the same user, only what init answers.
        var device2 = new FrontendClient(api.Host.WithToken(api.Issuer.Mint(subject)));
        var init = await device2.InitAsync();
        var opened = WizardReplay.OpenedStep(init);

        Assert.Equal(lastStepShown + 1, opened);
        Assert.Equal(lastStepShown == 1 ? 1 : lastStepShown, init["onboarding"]!["current_step"]!.GetValue<int>());
        await WizardReplay.RunFromAsync(device2, opened, WizardReplay.StepDataFrom(init));
    }

    [Fact]
    public async Task Finishing_with_the_optional_integrations_step_untouched_succeeds_but_not_before_the_required_steps()
    {
        var client = new FrontendClient(api.NewUser().Client);
        await client.SetCurrentStepAsync(2, WizardBodies.Website());

        var early = await client.Http.PostAsync("api/onboarding/complete", null);
        var problem = await early.ExpectProblemAsync(System.Net.HttpStatusCode.Conflict, "onboarding-incomplete");
        Assert.Contains("3, 4", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await client.SetCurrentStepAsync(3, WizardBodies.Research(WizardBodies.Website()));
        await client.SetCurrentStepAsync(4, WizardBodies.Persona(WizardBodies.Research(WizardBodies.Website())));
        await WizardReplay.LaunchAsync(client);
    }

    [Fact]
    public async Task The_summary_defaults_leave_the_stored_step_data_as_sent()
    {
        var client = new FrontendClient(api.NewUser().Client);
        var research = WizardBodies.Research(WizardBodies.Website());
        await client.SetCurrentStepAsync(3, research);

        var summary = await client.GetAsync("api/onboarding/summary");
        var stored = await client.GetStepDataAsync(3);

        Assert.Equal("Comprehensive", summary["research_preferences"]!["research_depth"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(research, stored["data"]));
        Assert.Null(stored["data"]!["research_depth"]);
    }
}

public sealed class CurrentWizardTestsOnServer(ApiFixture api) : CurrentWizardTests(api), IClassFixture<ApiFixture>;

public sealed class CurrentWizardTestsOnFunctions(FunctionsApiFixture api) : CurrentWizardTests(api), IClassFixture<FunctionsApiFixture>;
