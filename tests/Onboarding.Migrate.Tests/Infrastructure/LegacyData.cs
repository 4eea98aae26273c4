namespace Onboarding.Migrate.Tests.Infrastructure;

/// <summary>Plaintext provider keys, unique per call so a leak is attributable, in the formats the service accepts.</summary>
public static class LegacyKeys
{
    public static string OpenAi() => "sk-legacy" + Guid.NewGuid().ToString("N");

    public static string Anthropic() => "sk-ant-legacy" + Guid.NewGuid().ToString("N");

    /// <summary>'AIza' and 35 more characters.</summary>
    public static string Gemini() => "AIza" + Guid.NewGuid().ToString("N") + "Gem";

    public static string Tavily() => "tvly-" + Guid.NewGuid().ToString("N");

    public static string Mask(string key) => "****" + key[^4..];
}

/// <summary>Legacy records as the old backend wrote them (Python isoformat timestamps, snake_case fields).</summary>
public static class LegacyData
{
    /// <summary>Steps 1–3 completed (keys in step 1's data), 4 in progress with a draft, 5 and 6 pending.</summary>
    public static string InProgress(string openAiKey, string geminiKey) => $$"""
        {
          "steps": [
            { "step_number": 1, "title": "AI LLM Providers", "description": "Configure your AI services", "status": "completed",
              "completed_at": "2024-05-01T10:20:30.123456",
              "data": { "api_keys": { "openai": "{{openAiKey}}", "gemini": "{{geminiKey}}" }, "selected_provider": "openai" } },
            { "step_number": 2, "title": "Website Analysis", "description": "", "status": "completed",
              "completed_at": "2024-05-01T10:25:00", "data": { "website": "https://legacy.example", "analysis": { "tone": "warm" } } },
            { "step_number": 3, "title": "AI Research", "description": "", "status": "completed",
              "completed_at": "2024-05-01T10:28:00", "data": { "researchSummary": "Market notes", "competitors": ["https://rival.example"] } },
            { "step_number": 4, "title": "Personalization", "description": "", "status": "in_progress", "completed_at": null,
              "data": { "corePersona": { "identity": "Draft persona" } } },
            { "step_number": 5, "title": "Integrations", "description": "", "status": "pending", "completed_at": null, "data": null },
            { "step_number": 6, "title": "Finish", "description": "", "status": "pending", "completed_at": null, "data": null }
          ],
          "current_step": 4,
          "started_at": "2024-05-01T10:00:00",
          "last_updated": "2024-05-01T10:30:00",
          "is_completed": false,
          "completed_at": null
        }
        """;

    /// <summary>Every step done (5 skipped), onboarding finished; keys in a top-level api_keys map.</summary>
    public static string Finished(string anthropicKey, string tavilyKey) => $$"""
        {
          "steps": [
            { "step_number": 1, "status": "completed", "completed_at": "2024-06-02T08:00:00+02:00", "data": {} },
            { "step_number": 2, "status": "completed", "completed_at": "2024-06-02T08:05:00+02:00", "data": { "website_url": "https://finished.example" } },
            { "step_number": 3, "status": "completed", "completed_at": "2024-06-02T08:10:00+02:00", "data": { "research_preferences": { "depth": "deep" } } },
            { "step_number": 4, "status": "completed", "completed_at": "2024-06-02T08:15:00+02:00",
              "data": { "corePersona": { "identity": "Expert" }, "platformPersonas": { "linkedin": { "tone": "formal" } } } },
            { "step_number": 5, "status": "skipped", "completed_at": null, "data": null },
            { "step_number": 6, "status": "completed", "completed_at": "2024-06-02T08:20:00+02:00", "data": null }
          ],
          "current_step": 6,
          "started_at": "2024-06-02T07:55:00+02:00",
          "last_updated": "2024-06-02T08:20:00+02:00",
          "is_completed": true,
          "completed_at": "2024-06-02T08:20:00+02:00",
          "api_keys": { "anthropic": "{{anthropicKey}}", "tavily": "{{tavilyKey}}" }
        }
        """;

    /// <summary>Step 1 completed with one key, step 2 in progress.</summary>
    public static string JustStarted(string openAiKey, string website = "https://draft.example") => $$"""
        {
          "steps": [
            { "step_number": 1, "status": "completed", "completed_at": "2024-07-01T09:00:00", "data": { "api_keys": { "openai": "{{openAiKey}}" } } },
            { "step_number": 2, "status": "in_progress", "completed_at": null, "data": { "website": "{{website}}" } }
          ],
          "current_step": 2,
          "started_at": "2024-07-01T08:59:00",
          "last_updated": "2024-07-01T09:01:00",
          "is_completed": false,
          "completed_at": null
        }
        """;

    /// <summary>A shared file: an object of legacy user ids to records.</summary>
    public static string Shared(params (string LegacyId, string Record)[] users)
        => "{\n" + string.Join(",\n", users.Select(u => $"  \"{u.LegacyId}\": {u.Record}")) + "\n}\n";
}
