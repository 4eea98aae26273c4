namespace Onboarding.Core.Http;

/// <summary>The route names, as constants so the Functions app's <c>[Function]</c> attributes use the same ones.</summary>
public static class RouteNames
{
    public const string GetInit = "GetInit";
    public const string GetStatus = "GetStatus";
    public const string GetProgress = "GetProgress";
    public const string GetConfig = "GetConfig";
    public const string GetStep = "GetStep";
    public const string SaveStep = "SaveStep";
    public const string CompleteStep = "CompleteStep";
    public const string SkipStep = "SkipStep";
    public const string StartOnboarding = "StartOnboarding";
    public const string ResumeOnboarding = "ResumeOnboarding";
    public const string ResetOnboarding = "ResetOnboarding";
    public const string CompleteOnboarding = "CompleteOnboarding";
    public const string GetSummary = "GetSummary";
    public const string GetWebsiteAnalysis = "GetWebsiteAnalysis";
    public const string GetResearchPreferences = "GetResearchPreferences";
    public const string ListApiKeys = "ListApiKeys";
    public const string SaveApiKey = "SaveApiKey";
    public const string ListApiKeysForWizard = "ListApiKeysForWizard";
    public const string ValidateApiKeys = "ValidateApiKeys";
    public const string DeleteApiKey = "DeleteApiKey";
    public const string GetMe = "GetMe";
    public const string ExportMe = "ExportMe";
    public const string DeleteMe = "DeleteMe";
    public const string GetHealth = "GetHealth";
    public const string GetHealthReady = "GetHealthReady";
}
