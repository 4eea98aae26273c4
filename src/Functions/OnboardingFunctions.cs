using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;
using Onboarding.Core.Onboarding;

namespace Onboarding.Functions;

/// <summary>The onboarding wizard's routes, each a one-line delegation to Core.</summary>
public sealed class OnboardingFunctions(OnboardingEndpoints endpoints)
{
    [Function("GetInit")]
    public Task<IResult> GetInit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Init)] HttpRequest request) =>
        endpoints.Init(request.HttpContext);

    [Function("GetStatus")]
    public Task<IResult> GetStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Status)] HttpRequest request) =>
        endpoints.Status(request.HttpContext);

    [Function("GetProgress")]
    public Task<IResult> GetProgress(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Progress)] HttpRequest request) =>
        endpoints.Progress(request.HttpContext);

    [Function("GetConfig")]
    public Task<IResult> GetConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Config)] HttpRequest request) =>
        endpoints.Config(request.HttpContext);

    [Function("GetStep")]
    public Task<IResult> GetStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        endpoints.GetStep(request.HttpContext, step);

    [Function("SaveStep")]
    public Task<IResult> SaveStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.Step)] HttpRequest request, string step) =>
        endpoints.SaveStep(request.HttpContext, step);

    [Function("CompleteStep")]
    public Task<IResult> CompleteStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StepComplete)] HttpRequest request, string step) =>
        endpoints.CompleteStep(request.HttpContext, step);

    [Function("SkipStep")]
    public Task<IResult> SkipStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.StepSkip)] HttpRequest request, string step) =>
        endpoints.SkipStep(request.HttpContext, step);

    [Function("StartOnboarding")]
    public Task<IResult> StartOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Start)] HttpRequest request) =>
        endpoints.Start(request.HttpContext);

    [Function("ResumeOnboarding")]
    public Task<IResult> ResumeOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Resume)] HttpRequest request) =>
        endpoints.Resume(request.HttpContext);

    [Function("ResetOnboarding")]
    public Task<IResult> ResetOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Reset)] HttpRequest request) =>
        endpoints.Reset(request.HttpContext);

    [Function("CompleteOnboarding")]
    public Task<IResult> CompleteOnboarding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Complete)] HttpRequest request) =>
        endpoints.Complete(request.HttpContext);

    [Function("GetSummary")]
    public Task<IResult> GetSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Summary)] HttpRequest request) =>
        endpoints.Summary(request.HttpContext);

    [Function("GetWebsiteAnalysis")]
    public Task<IResult> GetWebsiteAnalysis(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebsiteAnalysis)] HttpRequest request) =>
        endpoints.WebsiteAnalysis(request.HttpContext);

    [Function("GetResearchPreferences")]
    public Task<IResult> GetResearchPreferences(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ResearchPreferences)] HttpRequest request) =>
        endpoints.ResearchPreferences(request.HttpContext);
}
