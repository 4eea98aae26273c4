using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>
/// What each route of <see cref="ApiRoutes.All"/> accepts and answers, as endpoint metadata for the API document.
/// The handlers take the raw <see cref="HttpContext"/> (so both hosts can call them), which hides their shapes from
/// API explorers; this table states them.
/// </summary>
public static class ApiRouteDescriptions
{
    public const string OnboardingTag = "Onboarding";
    public const string ApiKeysTag = "API keys";
    public const string AccountTag = "Account";
    public const string HealthTag = "Health";

    /// <summary>The description of every route, by route name.</summary>
    public static IReadOnlyDictionary<string, RouteDescription> All { get; } = new Dictionary<string, RouteDescription>(StringComparer.Ordinal)
    {
        ["GetInit"] = new(OnboardingTag, "Everything the wizard needs on load: user, progress with every step, session.", typeof(InitView)),
        ["GetStatus"] = new(OnboardingTag, "The wizard's status: current step, percentage, whether it can be finished.", typeof(StatusView)),
        ["GetProgress"] = new(OnboardingTag, "The full progress, with every step's status and data.", typeof(ProgressView)),
        ["GetConfig"] = new(OnboardingTag, "The configured steps (required, skippable, JSON Schema), the order rule and the providers whose API keys are required.", typeof(ConfigView)),
        ["GetStep"] = new(OnboardingTag, "One step with its data (step 1: API keys masked).", typeof(StepView), Problems: [404]),
        ["SaveStep"] = new(OnboardingTag, "Saves a step's data as a draft without completing it. Honours If-Match.", typeof(StepSavedView),
            Request: typeof(JsonObject), Problems: [400, 404, 412, 413, 415], FieldErrors: true),
        ["CompleteStep"] = new(OnboardingTag, "Completes a step: validates its data and moves the wizard on.", typeof(StepCompletedView),
            Request: typeof(StepCompletionRequest), Problems: [400, 404, 409, 413, 415], FieldErrors: true),
        ["SkipStep"] = new(OnboardingTag, "Skips a skippable step (by default 1 and 5).", typeof(StepSavedView), Problems: [400, 404, 409]),
        ["StartOnboarding"] = new(OnboardingTag, "Marks the wizard as started (idempotent).", typeof(StatusView)),
        ["ResumeOnboarding"] = new(OnboardingTag, "Where to resume: the current step with its data.", typeof(ResumeView)),
        ["ResetOnboarding"] = new(OnboardingTag, "Sets every step back to pending; with hard=true also removes the step data.", typeof(ResetView), Problems: [400]),
        ["CompleteOnboarding"] = new(OnboardingTag, "Finishes onboarding once every required step is done.", typeof(FinishedView), Problems: [409]),
        ["GetSummary"] = new(OnboardingTag, "What the user entered, with API keys masked and the defaults the frontend shows.", typeof(SummaryView)),
        ["GetWebsiteAnalysis"] = new(OnboardingTag, "Step 2 as the final step reads it: website_url and style_analysis.", typeof(WebsiteAnalysisView)),
        ["GetResearchPreferences"] = new(OnboardingTag, "Step 3's research preferences with defaults; {} before step 3 has data.", typeof(JsonObject)),
        ["ListApiKeys"] = new(ApiKeysTag, "The user's provider keys, masked.", typeof(ApiKeysView)),
        ["SaveApiKey"] = new(ApiKeysTag, "Stores (or replaces) one provider's API key in the secret store.", typeof(ApiKeySavedView),
            Request: typeof(SaveApiKeyRequest), Problems: [400, 413, 415], FieldErrors: true),
        ["ListApiKeysForWizard"] = new(ApiKeysTag, "The wizard's prefill of provider keys, masked (never the raw keys).", typeof(ApiKeysView)),
        ["ValidateApiKeys"] = new(ApiKeysTag, "Which required providers have a key, keys masked.", typeof(ApiKeyValidationView)),
        ["DeleteApiKey"] = new(ApiKeysTag, "Deletes one provider's API key.", null, StatusCodes.Status204NoContent, Problems: [404]),
        ["GetMe"] = new(AccountTag, "The caller's identity, from the validated token.", typeof(MeView)),
        ["ExportMe"] = new(AccountTag, "An export of all of the caller's data, API keys masked.", typeof(ExportView)),
        ["DeleteMe"] = new(AccountTag, "Erases all of the caller's data: progress, step data and API keys.", null, StatusCodes.Status204NoContent),
        ["GetHealth"] = new(HealthTag, "Liveness.", typeof(HealthView)),
        ["GetHealthReady"] = new(HealthTag, "Readiness: storage and the secret store answer.", typeof(HealthView), Problems: [503]),
    };

    /// <summary>Adds the route's tags, summary, request body and responses; protected routes also answer 401 and 503.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(route);
        if (!All.TryGetValue(route.Name, out var description))
        {
            throw new InvalidOperationException($"Route '{route.Name}' has no description.");
        }

        endpoint.WithTags(description.Tag).WithSummary(description.Summary);
        if (description.Request is { } request)
        {
            endpoint.Accepts(request, "application/json");
        }

        endpoint.Produces(description.Status, description.Response, description.Response is null ? null : "application/json");
        IEnumerable<int> problems = description.Problems ?? [];
        if (!route.Anonymous)
        {
            problems = problems.Append(StatusCodes.Status401Unauthorized).Append(StatusCodes.Status503ServiceUnavailable);
        }

        foreach (var status in problems.Distinct().Order())
        {
            if (status == StatusCodes.Status400BadRequest && description.FieldErrors)
            {
                endpoint.ProducesValidationProblem();
            }
            else
            {
                endpoint.ProducesProblem(status);
            }
        }

        return endpoint;
    }
}

/// <summary>One route's documented shape.</summary>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Summary">One line saying what it does.</param>
/// <param name="Response">The success body's type, or null for no body.</param>
/// <param name="Status">The success status.</param>
/// <param name="Request">The JSON body's type, when it takes one.</param>
/// <param name="Problems">The ProblemDetails statuses it may answer besides the 401 and 503 of every protected route.</param>
/// <param name="FieldErrors">True when its 400 may be a ValidationProblem with field errors.</param>
public sealed record RouteDescription(
    string Tag,
    string Summary,
    Type? Response,
    int Status = StatusCodes.Status200OK,
    Type? Request = null,
    IReadOnlyList<int>? Problems = null,
    bool FieldErrors = false);
