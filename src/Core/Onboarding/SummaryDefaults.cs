using System.Text.Json.Nodes;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// The defaults the existing frontend's summary panel shows when the client did not send them (its own backend fills
/// them in when step 3 is saved). Applied to copies in the summary only: the stored step data stays as the client sent it.
/// </summary>
public static class SummaryDefaults
{
    public const string ResearchDepth = "Comprehensive";
    public const bool AutoResearch = true;
    public const string WritingStyle = "professional";

    public static IReadOnlyList<string> ContentTypes { get; } = ["Blog Posts", "Social Media", "Newsletters"];

    /// <summary>Step 3's research preferences (nested <c>research_preferences</c>/<c>researchPreferences</c> if sent, else the step) with defaults.</summary>
    public static JsonObject Research(JsonObject step3)
    {
        ArgumentNullException.ThrowIfNull(step3);
        var source = step3["research_preferences"] as JsonObject ?? step3["researchPreferences"] as JsonObject ?? step3;
        var copy = (JsonObject)source.DeepClone();
        copy.TryAdd("research_depth", ResearchDepth);
        copy.TryAdd("content_types", new JsonArray(ContentTypes.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()));
        copy.TryAdd("auto_research", AutoResearch);
        copy.TryAdd("factual_content", true);
        return copy;
    }

    /// <summary>Step 4's data with a <c>writing_style</c> (from the research preferences when they have one).</summary>
    public static JsonObject Personalization(JsonObject step4, JsonObject? step3)
    {
        ArgumentNullException.ThrowIfNull(step4);
        var copy = (JsonObject)step4.DeepClone();
        var style = step3 is null ? null : Research(step3)["writing_style"]?.DeepClone();
        copy.TryAdd("writing_style", style ?? WritingStyle);
        return copy;
    }
}
