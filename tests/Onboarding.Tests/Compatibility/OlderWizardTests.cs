using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>
/// The wizard of late 2025, whose step 1 was the API-key step (keys saved one by one, then step 1 completed with them),
/// and its successor whose step 1 read <c>api-keys/validate</c>. Neither touches step 5.
/// </summary>
public abstract class OlderWizardTests(ApiFixture api)
{
    [Fact]
    public async Task The_api_key_step_wizard_goes_from_init_to_complete_without_a_4xx()
    {
        var client = new FrontendClient(api.NewUser().Client);
        var init = await client.InitAsync();
        Assert.Equal(1, init["onboarding"]!["current_step"]!.GetValue<int>());

        // ApiKeyStep loads its prefill from both places, then saves each key and completes step 1 with them.
        Assert.Empty(await client.GetApiKeysForOnboardingAsync());
        await client.GetStepDataAsync(1);
        await client.SaveApiKeyAsync("gemini", WizardBodies.GeminiKey);
        await client.SaveApiKeyAsync("exa", WizardBodies.ExaKey);
        await client.SaveApiKeyAsync("copilotkit", WizardBodies.CopilotKitKey);
        await client.CompleteStepWithDataOnlyAsync(1, WizardBodies.ApiKeys());
        var prefill = await client.GetApiKeysForOnboardingAsync();
        Assert.Equal(1, await client.GetCurrentStepAsync());

        // Masked, never raw: the prefill and the stored step show hints only.
        Assert.Equal(["copilotkit", "exa", "gemini"], prefill.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.All(prefill, p => Assert.StartsWith("****", p.Value!.GetValue<string>(), StringComparison.Ordinal));
        var step1 = await client.GetStepDataAsync(1);
        Assert.DoesNotContain(WizardBodies.GeminiKey, step1.ToJsonString(), StringComparison.Ordinal);

        var website = WizardBodies.Website();
        var research = WizardBodies.Research(website);
        await client.SetCurrentStepAsync(2, website);
        await client.SetCurrentStepAsync(3, research);
        await client.SetCurrentStepAsync(4, WizardBodies.Persona(research));

        // Its integrations step passed no data, so step 5 was never completed.
        await WizardReplay.LaunchAsync(client);
        Assert.DoesNotContain(client.Calls, c => c.Contains("step/5/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_key_validation_step_reads_the_shape_it_expects_without_being_caught_by_the_delete_route()
    {
        var client = new FrontendClient(api.NewUser().Client);

        var before = await client.GetAsync("api/onboarding/api-keys/validate");
        Assert.True(before["all_valid"]!.GetValue<bool>());
        Assert.Equal(0, before["total_providers"]!.GetValue<int>());
        Assert.Empty(before["configured_providers"]!.AsArray());
        Assert.Empty(before["missing_keys"]!.AsArray());
        Assert.Empty(before["api_keys"]!.AsObject());

        await client.SaveApiKeyAsync("gemini", WizardBodies.GeminiKey);
        var after = await client.GetAsync("api/onboarding/api-keys/validate");

        Assert.Equal(["gemini"], after["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(1, after["total_providers"]!.GetValue<int>());
        Assert.Equal("configured", after["validation_results"]!["gemini"]!["status"]!.GetValue<string>());
        Assert.True(after["validation_results"]!["gemini"]!["valid"]!.GetValue<bool>());
        Assert.StartsWith("****", after["api_keys"]!["gemini"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(WizardBodies.GeminiKey, after.ToJsonString(), StringComparison.Ordinal);

        // Then the wizard moved on without completing step 1 (its Continue passed no data).
        var website = WizardBodies.Website();
        await client.SetCurrentStepAsync(2, website);
        await client.SetCurrentStepAsync(3, WizardBodies.Research(website));
        await client.SetCurrentStepAsync(4, WizardBodies.Persona(WizardBodies.Research(website)));
        await WizardReplay.LaunchAsync(client);
    }
}

public sealed class OlderWizardTestsOnServer(ApiFixture api) : OlderWizardTests(api), IClassFixture<ApiFixture>;

public sealed class OlderWizardTestsOnFunctions(FunctionsApiFixture api) : OlderWizardTests(api), IClassFixture<FunctionsApiFixture>;
