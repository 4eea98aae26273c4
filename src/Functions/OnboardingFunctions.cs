using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The onboarding wizard's routes, each a one-line delegation to Core.</summary>
public sealed class OnboardingFunctions(OnboardingEndpoints endpoints)
{
    [Function(RouteNames.GetInit)]
    public Task<IResult> GetInit(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Init)] HttpRequest request) =>
        endpoints.Init(request.HttpContext);

    [Function(RouteNames.GetStatus)]
    public Task<IResult> GetStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Status)] HttpRequest request) =>
        endpoints.Status(request.HttpContext);

    [Function(RouteNames.GetProgress)]
    public Task<IResult> GetProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Progress)] HttpRequest request) =>
        endpoints.Progress(request.HttpContext);

    [Function(RouteNames.GetConfig)]
    public Task<IResult> GetConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Config)] HttpRequest request) =>
        endpoints.Config(request.HttpContext);

    [Function(RouteNames.GetStep)]
    public Task<IResult> GetStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        endpoints.GetStep(request.HttpContext, step);

    [Function(RouteNames.SaveStep)]
    public Task<IResult> SaveStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Put, Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        endpoints.SaveStep(request.HttpContext, step);

    [Function(RouteNames.CompleteStep)]
    public Task<IResult> CompleteStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.StepComplete)] HttpRequest request, string step) =>
        endpoints.CompleteStep(request.HttpContext, step);

    [Function(RouteNames.SkipStep)]
    public Task<IResult> SkipStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.StepSkip)] HttpRequest request, string step) =>
        endpoints.SkipStep(request.HttpContext, step);

    [Function(RouteNames.StartOnboarding)]
    public Task<IResult> StartOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Start)] HttpRequest request) =>
        endpoints.Start(request.HttpContext);

    [Function(RouteNames.ResumeOnboarding)]
    public Task<IResult> ResumeOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Resume)] HttpRequest request) =>
        endpoints.Resume(request.HttpContext);

    [Function(RouteNames.ResetOnboarding)]
    public Task<IResult> ResetOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Reset)] HttpRequest request) =>
        endpoints.Reset(request.HttpContext);

    [Function(RouteNames.CompleteOnboarding)]
    public Task<IResult> CompleteOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.Complete)] HttpRequest request) =>
        endpoints.Complete(request.HttpContext);

    [Function(RouteNames.GetSummary)]
    public Task<IResult> GetSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Summary)] HttpRequest request) =>
        endpoints.Summary(request.HttpContext);

    [Function(RouteNames.GetWebsiteAnalysis)]
    public Task<IResult> GetWebsiteAnalysis(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.WebsiteAnalysis)] HttpRequest request) =>
        endpoints.WebsiteAnalysis(request.HttpContext);

    [Function(RouteNames.GetResearchPreferences)]
    public Task<IResult> GetResearchPreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ResearchPreferences)] HttpRequest request) =>
        endpoints.ResearchPreferences(request.HttpContext);
}
