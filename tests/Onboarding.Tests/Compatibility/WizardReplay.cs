using System.Text.Json.Nodes;
using Xunit;

namespace Onboarding.Tests.Compatibility;

/// <summary>The current wizard (intro step 1 that sends nothing), replayed step by step as its components call the API.</summary>
public static class WizardReplay
{
    public const int StepCount = 6;

    /// <summary>Which step the wizard opens after loading <c>init</c>: <c>current_step + 1</c>, or the last step once completed.</summary>
    public static int OpenedStep(JsonNode init)
    {
        var onboarding = init["onboarding"]!;
        return onboarding["is_completed"]!.GetValue<bool>()
            ? StepCount
            : Math.Max(1, Math.Min(StepCount, onboarding["current_step"]!.GetValue<int>() + 1));
    }

    /// <summary>The wizard's <c>stepData</c> as it rebuilds it from <c>init</c>: steps 2, 3 and 4 merged.</summary>
    public static JsonObject StepDataFrom(JsonNode init)
    {
        var merged = new JsonObject();
        foreach (var step in init["onboarding"]!["steps"]!.AsArray())
        {
            if (step!["step_number"]!.GetValue<int>() is 2 or 3 or 4 && step["data"] is JsonObject data)
            {
                foreach (var (name, value) in data)
                {
                    merged[name] = value?.DeepClone();
                }
            }
        }

        return merged;
    }

    /// <summary>Runs the wizard from the step it shows (1-based) through to the launch on the final step.</summary>
    public static async Task RunFromAsync(FrontendClient client, int openedStep, JsonObject stepData)
    {
        for (var step = openedStep; step < StepCount; step++)
        {
            JsonObject? body = step switch
            {
                1 => null, // IntroStep: Continue sends nothing.
                2 => WizardBodies.Website(),
                3 => WizardBodies.Research(stepData.Count > 0 ? stepData : WizardBodies.Website()),
                4 => WizardBodies.Persona(stepData),
                _ => WizardBodies.Integrations(),
            };
            if (body is null)
            {
                continue;
            }

            await client.SetCurrentStepAsync(step, body);
            Assert.Equal(step, await client.GetCurrentStepAsync());
            if (step is 2 or 3 or 4)
            {
                stepData = body;
            }
        }

        await LaunchAsync(client);
    }

    /// <summary>FinalStep: loads the summary and the two data routes, checks what it checks, completes step 6, then onboarding.</summary>
    public static async Task LaunchAsync(FrontendClient client)
    {
        var summary = await client.GetAsync("api/onboarding/summary");
        var website = await client.GetAsync("api/onboarding/website-analysis");
        var research = await client.GetAsync("api/onboarding/research-preferences");

        // The launch check: a URL or style analysis, research preferences with content, personalization settings.
        var url = website["website_url"]?.GetValue<string>() ?? summary["website_url"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(url));
        Assert.NotNull(website["style_analysis"] ?? summary["style_analysis"]);
        var preferences = research as JsonObject ?? summary["research_preferences"] as JsonObject;
        Assert.NotNull(preferences);
        Assert.NotEmpty(preferences);
        Assert.NotEmpty(Assert.IsType<JsonObject>(summary["personalization_settings"]));

        // The summary panel's fields.
        Assert.Equal("Comprehensive", summary["research_preferences"]!["research_depth"]!.GetValue<string>());
        Assert.Equal(["Blog Posts", "Social Media", "Newsletters"], summary["research_preferences"]!["content_types"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(summary["research_preferences"]!["auto_research"]!.GetValue<bool>());
        Assert.Equal("professional", summary["personalization_settings"]!["writing_style"]!.GetValue<string>());

        await client.SetCurrentStepAsync(6, null);
        var completed = await client.PostAsync("api/onboarding/complete");
        Assert.Equal(100, completed["completion_percentage"]!.GetValue<int>());
        Assert.NotNull(completed["completed_at"]);
        var init = await client.InitAsync();
        Assert.True(init["onboarding"]!["is_completed"]!.GetValue<bool>());
        Assert.Equal(StepCount, OpenedStep(init));
    }
}
