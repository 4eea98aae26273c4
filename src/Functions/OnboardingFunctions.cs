using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;
using Onboarding.Core.Onboarding;

namespace Onboarding.Functions;

/// <summary>
/// The onboarding wizard's routes. Each calls Core's typed handler inside the protected-route frame, with the inputs
/// the Server binds (repeated header and query values joined with commas, as its binding does).
/// </summary>
public sealed class OnboardingFunctions(OnboardingEndpoints endpoints)
{
    [Function(RouteNames.GetInit)]
    public Task<IResult> GetInit(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Init)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Init);

    [Function(RouteNames.GetStatus)]
    public Task<IResult> GetStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Status)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Status);

    [Function(RouteNames.GetProgress)]
    public Task<IResult> GetProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Progress)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Progress);

    [Function(RouteNames.GetConfig)]
    public Task<IResult> GetConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Config)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (_, _) => Task.FromResult(endpoints.Config()));

    [Function(RouteNames.GetStep)]
    public Task<IResult> GetStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.GetStep(user, step, request.HttpContext.Response, ct));

    [Function(RouteNames.SaveStep)]
    public Task<IResult> SaveStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Put, Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.SaveStep(
            user, step, (string?)request.Headers.IfMatch, JsonRequest<JsonObject>.Of(request), request.HttpContext.Response, ct));

    [Function(RouteNames.CompleteStep)]
    public Task<IResult> CompleteStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.StepComplete)] HttpRequest request, string step) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.CompleteStep(
            user, step, JsonRequest<StepCompletionRequest>.Of(request), request.HttpContext.Response, ct));

    [Function(RouteNames.SkipStep)]
    public Task<IResult> SkipStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.StepSkip)] HttpRequest request, string step) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.SkipStep(user, step, ct));

    [Function(RouteNames.StartOnboarding)]
    public Task<IResult> StartOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Start)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Start);

    [Function(RouteNames.ResumeOnboarding)]
    public Task<IResult> ResumeOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Resume)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Resume);

    [Function(RouteNames.ResetOnboarding)]
    public Task<IResult> ResetOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Reset)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.Reset(user, (string?)request.Query["hard"], ct));

    [Function(RouteNames.CompleteOnboarding)]
    public Task<IResult> CompleteOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Complete)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Complete);

    [Function(RouteNames.GetSummary)]
    public Task<IResult> GetSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Summary)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Summary);

    [Function(RouteNames.GetWebsiteAnalysis)]
    public Task<IResult> GetWebsiteAnalysis(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.WebsiteAnalysis)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.WebsiteAnalysis);

    [Function(RouteNames.GetResearchPreferences)]
    public Task<IResult> GetResearchPreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ResearchPreferences)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.ResearchPreferences);
}
