using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The provider API key routes, each a one-line delegation to Core.</summary>
public sealed class ApiKeyFunctions(ApiKeyEndpoints endpoints)
{
    [Function(RouteNames.ListApiKeys)]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        endpoints.List(request.HttpContext);

    [Function(RouteNames.SaveApiKey)]
    public Task<IResult> SaveApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        endpoints.Save(request.HttpContext);

    [Function(RouteNames.ListApiKeysForWizard)]
    public Task<IResult> ListApiKeysForWizard(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeysForWizard)] HttpRequest request) =>
        endpoints.ListForWizard(request.HttpContext);

    [Function(RouteNames.ValidateApiKeys)]
    public Task<IResult> ValidateApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeysValidate)] HttpRequest request) =>
        endpoints.Validate(request.HttpContext);

    [Function(RouteNames.DeleteApiKey)]
    public Task<IResult> DeleteApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Delete, Route = ApiRoutes.ApiKey)] HttpRequest request, string provider) =>
        endpoints.Delete(request.HttpContext, provider);
}
