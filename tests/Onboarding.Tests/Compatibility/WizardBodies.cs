using System.Text.Json.Nodes;

namespace Onboarding.Tests.Compatibility;

/// <summary>
/// Step data as the wizard components build it (written from reading them, not copied). The wizard keeps one
/// <c>stepData</c> object that each step merges into, and completes steps 3 and 4 with that merged object.
/// </summary>
public static class WizardBodies
{
    public const string GeminiKey = "AIzaSyB0123456789abcdefghijklmnopqrstuv";
    public const string ExaKey = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    public const string CopilotKitKey = "ck_pub_0123456789abcdefABCDEF";

    /// <summary>WebsiteStep: <c>{ website, domainName, analysis, useAnalysisForGenAI }</c>.</summary>
    public static JsonObject Website() => new()
    {
        ["website"] = "https://shop.example",
        ["domainName"] = "shop.example",
        ["analysis"] = new JsonObject
        {
            ["id"] = 42,
            ["writing_style"] = new JsonObject { ["tone"] = "friendly", ["voice"] = "active" },
            ["target_audience"] = new JsonObject { ["demographics"] = new JsonArray("makers") },
            ["content_type"] = new JsonObject { ["primary_type"] = "blog" },
        },
        ["useAnalysisForGenAI"] = true,
    };

    /// <summary>CompetitorAnalysisStep's <c>getResearchData()</c>, merged by the wizard over the website data.</summary>
    public static JsonObject Research(JsonObject website)
    {
        var merged = (JsonObject)website.DeepClone();
        merged["competitors"] = new JsonArray(new JsonObject { ["url"] = "https://rival.example", ["title"] = "Rival", ["highlights"] = new JsonArray("cheap") });
        merged["social_media_accounts"] = new JsonObject { ["linkedin"] = "https://linkedin.com/company/shop" };
        merged["researchSummary"] = new JsonObject { ["total_competitors"] = 1, ["market_insights"] = "Crowded" };
        merged["sitemapAnalysis"] = null;
        merged["userUrl"] = "https://shop.example";
        merged["industryContext"] = null;
        merged["analysisTimestamp"] = "2026-03-01T10:00:00.000Z";
        merged["stepType"] = "research";
        merged["completedAt"] = "2026-03-01T10:00:01.000Z";
        return merged;
    }

    /// <summary>PersonalizationStep's <c>onDataChange</c> data, merged by the wizard over everything before it.</summary>
    public static JsonObject Persona(JsonObject research)
    {
        var merged = (JsonObject)research.DeepClone();
        merged["corePersona"] = new JsonObject { ["identity"] = new JsonObject { ["persona_name"] = "The Maker", ["archetype"] = "Guide" } };
        merged["platformPersonas"] = new JsonObject { ["linkedin"] = new JsonObject { ["tone"] = "professional" }, ["blog"] = new JsonObject { ["tone"] = "warm" } };
        merged["qualityMetrics"] = new JsonObject { ["overall_score"] = 87 };
        merged["selectedPlatforms"] = new JsonArray("linkedin", "blog");
        merged["brandAvatar"] = new JsonObject { ["set"] = true, ["url"] = "https://cdn.example/a.png" };
        merged["voiceClone"] = new JsonObject { ["set"] = true, ["url"] = "https://cdn.example/v.mp3" };
        merged["introVideo"] = new JsonObject { ["set"] = false, ["url"] = null };
        merged["stepType"] = "personalization";
        merged["completedAt"] = "2026-03-01T10:05:00.000Z";
        return merged;
    }

    /// <summary>IntegrationsStep's <c>onDataChange</c>; the wizard completes step 5 with <c>{ integrations }</c> only.</summary>
    public static JsonObject Integrations() => new()
    {
        ["integrations"] = new JsonObject
        {
            ["primaryWebsite"] = null,
            ["websitePlatforms"] = new JsonObject { ["wix"] = new JsonArray(), ["wordpress"] = new JsonArray(), ["primaryWebsite"] = null },
            ["analyticsPlatforms"] = new JsonObject
            {
                ["gsc"] = new JsonObject { ["connected"] = false, ["sites"] = new JsonArray() },
                ["bing"] = new JsonObject { ["connected"] = false, ["sites"] = new JsonArray() },
            },
            ["socialPlatforms"] = new JsonObject { ["facebook"] = false, ["linkedin"] = false },
            ["connectedPlatforms"] = new JsonArray(),
            ["updatedAt"] = "2026-03-01T10:06:00.000Z",
        },
    };

    /// <summary>The older ApiKeyStep's completion body (after saving each key with <c>POST api-keys</c>).</summary>
    public static JsonObject ApiKeys() => new()
    {
        ["api_keys"] = new JsonObject { ["gemini"] = GeminiKey, ["exa"] = ExaKey, ["copilotkit"] = CopilotKitKey },
    };
}
