namespace Onboarding.Tests.Infrastructure;

/// <summary>Valid data for each wizard step, shaped as the existing frontend sends it.</summary>
public static class StepData
{
    public const string OpenAiKey = "sk-test0123456789abcdefghijklmnop";
    public const string GeminiKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv";
    public const string ExaKey = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    public static object Step1 => new { data = new { api_keys = new { openai = OpenAiKey } } };

    public static object Step2 => new { data = new { website = "https://example.com", analysis = new { tone = "friendly" } } };

    public static object Step3 => new { data = new { competitors = new[] { "https://competitor.example" }, researchSummary = "Market notes" } };

    public static object Step4 => new
    {
        data = new
        {
            corePersona = new { identity = "Helpful expert", traits = new[] { "clear" } },
            platformPersonas = new { linkedin = new { tone = "professional" } },
        },
    };

    public static object Step5 => new { data = new { integrations = new { wordpress = false } } };

    public static object For(int step) => step switch
    {
        1 => Step1,
        2 => Step2,
        3 => Step3,
        4 => Step4,
        5 => Step5,
        _ => new { data = new { } },
    };
}
