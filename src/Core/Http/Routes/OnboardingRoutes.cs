using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>The wizard's routes: name, verb, template, typed handler and description of each, in document order.</summary>
internal static class OnboardingRoutes
{
    public const string Tag = "Onboarding";

    // If-Match and hard are bound as optional raw strings (repeated values arrive joined with commas): a bad or repeated
    // value is the handler's own 400 ProblemDetails, never a binding failure.
    private const string IfMatchDescription = "The step's ETag as last read; a stale one is answered with 412.";

    private const string HardDescription = "true also removes every step's stored data (API keys are kept).";

    private static readonly DocumentedValue ETag = new("ETag", "The step's version, for If-Match on the next save.");

    // The step is bound as a raw string: an unknown one is the handler's own 404 ProblemDetails.
    private static readonly ParameterValues StepNumber = new("step", typeof(int))
    {
        Minimum = 1,
        Maximum = StepCatalog.Count,
        Description = "1 API keys, 2 website, 3 research, 4 persona, 5 integrations (optional), 6 finish.",
    };

    private static readonly ParameterValues Hard = new("hard", typeof(bool)) { Default = false };

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Map(RouteNames.GetInit, HttpVerb.Get, ApiRoutes.Init,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Init(user, ct),
            new(Tag, "Everything the wizard needs on load: user, progress with every step, session.", typeof(InitView))),
        Map(RouteNames.GetStatus, HttpVerb.Get, ApiRoutes.Status,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Status(user, ct),
            new(Tag, "The wizard's status: current step, percentage, whether it can be finished.", typeof(StatusView))),
        Map(RouteNames.GetProgress, HttpVerb.Get, ApiRoutes.Progress,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Progress(user, ct),
            new(Tag, "The full progress, with every step's status and data.", typeof(ProgressView))),
        Map(RouteNames.GetConfig, HttpVerb.Get, ApiRoutes.Config, ([FromServices] OnboardingEndpoints e) => e.Config(),
            new(Tag, "The configured steps (required, skippable, JSON Schema), the order rule and the providers whose API keys are required.", typeof(ConfigView))),
        Map(RouteNames.GetStep, HttpVerb.Get, ApiRoutes.Step,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, [FromRoute] string step, HttpResponse response, CancellationToken ct)
                => e.GetStep(user, step, response, ct),
            new(Tag, "One step with its data (step 1: API keys masked).", typeof(StepView), Problems: [404]) { ResponseHeaders = [ETag], Parameters = [StepNumber] }),
        Map(RouteNames.SaveStep, HttpVerb.Put, ApiRoutes.Step,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, [FromRoute] string step,
                [FromHeader(Name = "If-Match"), Description(IfMatchDescription)] string? ifMatch,
                JsonRequest<JsonObject> body, HttpResponse response, CancellationToken ct)
                => e.SaveStep(user, step, ifMatch, body, response, ct),
            new(Tag, "Saves a step's data as a draft without completing it. Honours If-Match.", typeof(StepSavedView),
                Problems: [400, 404, 412, 413, 415], FieldErrors: true) { ResponseHeaders = [ETag], Parameters = [StepNumber] }),
        Map(RouteNames.CompleteStep, HttpVerb.Post, ApiRoutes.StepComplete,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, [FromRoute] string step,
                JsonRequest<StepCompletionRequest> body, HttpResponse response, CancellationToken ct)
                => e.CompleteStep(user, step, body, response, ct),
            new(Tag, "Completes a step: validates its data and moves the wizard on.", typeof(StepCompletedView),
                Problems: [400, 404, 409, 413, 415], FieldErrors: true) { ResponseHeaders = [ETag], Parameters = [StepNumber] }),
        Map(RouteNames.SkipStep, HttpVerb.Post, ApiRoutes.StepSkip,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, [FromRoute] string step, CancellationToken ct) => e.SkipStep(user, step, ct),
            new(Tag, "Skips a skippable step (by default 1 and 5).", typeof(StepSavedView), Problems: [400, 404, 409]) { Parameters = [StepNumber] }),
        Map(RouteNames.StartOnboarding, HttpVerb.Post, ApiRoutes.Start,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Start(user, ct),
            new(Tag, "Marks the wizard as started (idempotent).", typeof(StatusView))),
        Map(RouteNames.ResumeOnboarding, HttpVerb.Post, ApiRoutes.Resume,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Resume(user, ct),
            new(Tag, "Where to resume: the current step with its data.", typeof(ResumeView))),
        Map(RouteNames.ResetOnboarding, HttpVerb.Post, ApiRoutes.Reset,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, [FromQuery(Name = "hard"), Description(HardDescription)] string? hard, CancellationToken ct)
                => e.Reset(user, hard, ct),
            new(Tag, "Sets every step back to pending; with hard=true also removes the step data.", typeof(ResetView), Problems: [400]) { Parameters = [Hard] }),
        Map(RouteNames.CompleteOnboarding, HttpVerb.Post, ApiRoutes.Complete,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Complete(user, ct),
            new(Tag, "Finishes onboarding once every required step is done.", typeof(FinishedView), Problems: [409])),
        Map(RouteNames.GetSummary, HttpVerb.Get, ApiRoutes.Summary,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.Summary(user, ct),
            new(Tag, "What the user entered, with API keys masked and the defaults the frontend shows.", typeof(SummaryView))),
        Map(RouteNames.GetWebsiteAnalysis, HttpVerb.Get, ApiRoutes.WebsiteAnalysis,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.WebsiteAnalysis(user, ct),
            new(Tag, "Step 2 as the final step reads it: website_url and style_analysis.", typeof(WebsiteAnalysisView))),
        Map(RouteNames.GetResearchPreferences, HttpVerb.Get, ApiRoutes.ResearchPreferences,
            ([FromServices] OnboardingEndpoints e, CurrentUser user, CancellationToken ct) => e.ResearchPreferences(user, ct),
            new(Tag, "Step 3's research preferences with defaults; {} before step 3 has data.", typeof(JsonObject))),
    ];
}
