namespace Onboarding.Core.Http;

/// <summary>The route table of the API. Paths are relative to the <c>api</c> prefix; templates are constants so the Functions triggers use them.</summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Init = "onboarding/init";
    public const string Status = "onboarding/status";
    public const string Progress = "onboarding/progress";
    public const string Config = "onboarding/config";
    public const string Step = "onboarding/step/{step}";
    public const string StepComplete = "onboarding/step/{step}/complete";
    public const string StepSkip = "onboarding/step/{step}/skip";
    public const string Start = "onboarding/start";
    public const string Resume = "onboarding/resume";
    public const string Reset = "onboarding/reset";
    public const string Complete = "onboarding/complete";
    public const string Summary = "onboarding/summary";
    public const string WebsiteAnalysis = "onboarding/website-analysis";
    public const string ResearchPreferences = "onboarding/research-preferences";
    public const string ApiKeys = "onboarding/api-keys";
    public const string ApiKeysForWizard = "onboarding/api-keys/onboarding";
    public const string ApiKeysValidate = "onboarding/api-keys/validate";
    public const string ApiKey = "onboarding/api-keys/{provider}";
    public const string Me = "me";
    public const string MeExport = "me/export";
    public const string Health = "health";
    public const string HealthReady = "health/ready";

    /// <summary>Every route, each defined once in its feature's list (handler and description included), in document order.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
        [.. OnboardingRoutes.All, .. ApiKeyRoutes.All, .. AccountRoutes.All, .. HealthRoutes.All];

    /// <summary>True when the named route may be called without a token.</summary>
    public static bool IsAnonymous(string name) => All.Any(r => r.Anonymous && r.Name == name);
}
