namespace Onboarding.Core.Http;

/// <summary>One route of the public API: both hosts map exactly this table, and a test keeps the Functions app equal to it.</summary>
/// <param name="Name">Stable name, used as the Functions function name and the endpoint name.</param>
/// <param name="Method">HTTP verb, upper case.</param>
/// <param name="Template">Route template without the <c>api/</c> prefix.</param>
/// <param name="Anonymous">True only for routes on the explicit anonymous allow-list.</param>
public sealed record ApiRoute(string Name, string Method, string Template, bool Anonymous = false);

/// <summary>The route table of the API. Paths are relative to the <c>api</c> prefix.</summary>
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

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("GetInit", "GET", Init),
        new("GetStatus", "GET", Status),
        new("GetProgress", "GET", Progress),
        new("GetConfig", "GET", Config),
        new("GetStep", "GET", Step),
        new("SaveStep", "PUT", Step),
        new("CompleteStep", "POST", StepComplete),
        new("SkipStep", "POST", StepSkip),
        new("StartOnboarding", "POST", Start),
        new("ResumeOnboarding", "POST", Resume),
        new("ResetOnboarding", "POST", Reset),
        new("CompleteOnboarding", "POST", Complete),
        new("GetSummary", "GET", Summary),
        new("GetWebsiteAnalysis", "GET", WebsiteAnalysis),
        new("GetResearchPreferences", "GET", ResearchPreferences),
        new("ListApiKeys", "GET", ApiKeys),
        new("SaveApiKey", "POST", ApiKeys),
        new("ListApiKeysForWizard", "GET", ApiKeysForWizard),
        new("ValidateApiKeys", "GET", ApiKeysValidate),
        new("DeleteApiKey", "DELETE", ApiKey),
        new("GetMe", "GET", Me),
        new("ExportMe", "GET", MeExport),
        new("DeleteMe", "DELETE", Me),
        new("GetHealth", "GET", Health, Anonymous: true),
        new("GetHealthReady", "GET", HealthReady, Anonymous: true),
    ];

    /// <summary>True when the named route may be called without a token.</summary>
    public static bool IsAnonymous(string name) => All.Any(r => r.Anonymous && r.Name == name);
}
