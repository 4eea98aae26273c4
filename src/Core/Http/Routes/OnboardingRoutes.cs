using System.Text.Json.Nodes;
using Onboarding.Core.Onboarding;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>The wizard's routes: name, verb, template, handler and description of each, in document order.</summary>
internal static class OnboardingRoutes
{
    public const string Tag = "Onboarding";

    private static readonly DocumentedValue ETag = new("ETag", "The step's version, for If-Match on the next save.");

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        For<OnboardingEndpoints>(RouteNames.GetInit, HttpVerb.Get, ApiRoutes.Init, (e, c) => e.Init(c),
            new(Tag, "Everything the wizard needs on load: user, progress with every step, session.", typeof(InitView))),
        For<OnboardingEndpoints>(RouteNames.GetStatus, HttpVerb.Get, ApiRoutes.Status, (e, c) => e.Status(c),
            new(Tag, "The wizard's status: current step, percentage, whether it can be finished.", typeof(StatusView))),
        For<OnboardingEndpoints>(RouteNames.GetProgress, HttpVerb.Get, ApiRoutes.Progress, (e, c) => e.Progress(c),
            new(Tag, "The full progress, with every step's status and data.", typeof(ProgressView))),
        For<OnboardingEndpoints>(RouteNames.GetConfig, HttpVerb.Get, ApiRoutes.Config, (e, c) => e.Config(c),
            new(Tag, "The configured steps (required, skippable, JSON Schema), the order rule and the providers whose API keys are required.", typeof(ConfigView))),
        For<OnboardingEndpoints>(RouteNames.GetStep, HttpVerb.Get, ApiRoutes.Step, (e, c) => e.GetStep(c, RouteValue(c, "step")),
            new(Tag, "One step with its data (step 1: API keys masked).", typeof(StepView), Problems: [404]) { ResponseHeaders = [ETag] }),
        For<OnboardingEndpoints>(RouteNames.SaveStep, HttpVerb.Put, ApiRoutes.Step, (e, c) => e.SaveStep(c, RouteValue(c, "step")),
            new(Tag, "Saves a step's data as a draft without completing it. Honours If-Match.", typeof(StepSavedView),
                Request: typeof(JsonObject), Problems: [400, 404, 412, 413, 415], FieldErrors: true)
            {
                RequestHeaders = [new("If-Match", "The step's ETag as last read; a stale one is answered with 412.")],
                ResponseHeaders = [ETag],
            }),
        For<OnboardingEndpoints>(RouteNames.CompleteStep, HttpVerb.Post, ApiRoutes.StepComplete, (e, c) => e.CompleteStep(c, RouteValue(c, "step")),
            new(Tag, "Completes a step: validates its data and moves the wizard on.", typeof(StepCompletedView),
                Request: typeof(StepCompletionRequest), Problems: [400, 404, 409, 413, 415], FieldErrors: true) { ResponseHeaders = [ETag] }),
        For<OnboardingEndpoints>(RouteNames.SkipStep, HttpVerb.Post, ApiRoutes.StepSkip, (e, c) => e.SkipStep(c, RouteValue(c, "step")),
            new(Tag, "Skips a skippable step (by default 1 and 5).", typeof(StepSavedView), Problems: [400, 404, 409])),
        For<OnboardingEndpoints>(RouteNames.StartOnboarding, HttpVerb.Post, ApiRoutes.Start, (e, c) => e.Start(c),
            new(Tag, "Marks the wizard as started (idempotent).", typeof(StatusView))),
        For<OnboardingEndpoints>(RouteNames.ResumeOnboarding, HttpVerb.Post, ApiRoutes.Resume, (e, c) => e.Resume(c),
            new(Tag, "Where to resume: the current step with its data.", typeof(ResumeView))),
        For<OnboardingEndpoints>(RouteNames.ResetOnboarding, HttpVerb.Post, ApiRoutes.Reset, (e, c) => e.Reset(c),
            new(Tag, "Sets every step back to pending; with hard=true also removes the step data.", typeof(ResetView), Problems: [400])
            {
                QueryFlags = [new("hard", "true also removes every step's stored data (API keys are kept).")],
            }),
        For<OnboardingEndpoints>(RouteNames.CompleteOnboarding, HttpVerb.Post, ApiRoutes.Complete, (e, c) => e.Complete(c),
            new(Tag, "Finishes onboarding once every required step is done.", typeof(FinishedView), Problems: [409])),
        For<OnboardingEndpoints>(RouteNames.GetSummary, HttpVerb.Get, ApiRoutes.Summary, (e, c) => e.Summary(c),
            new(Tag, "What the user entered, with API keys masked and the defaults the frontend shows.", typeof(SummaryView))),
        For<OnboardingEndpoints>(RouteNames.GetWebsiteAnalysis, HttpVerb.Get, ApiRoutes.WebsiteAnalysis, (e, c) => e.WebsiteAnalysis(c),
            new(Tag, "Step 2 as the final step reads it: website_url and style_analysis.", typeof(WebsiteAnalysisView))),
        For<OnboardingEndpoints>(RouteNames.GetResearchPreferences, HttpVerb.Get, ApiRoutes.ResearchPreferences, (e, c) => e.ResearchPreferences(c),
            new(Tag, "Step 3's research preferences with defaults; {} before step 3 has data.", typeof(JsonObject))),
    ];
}
