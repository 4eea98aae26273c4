using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The provider API key routes. Each calls Core's typed handler inside the protected-route frame.</summary>
public sealed class ApiKeyFunctions(ApiKeyEndpoints endpoints)
{
    [Function(RouteNames.ListApiKeys)]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.List);

    [Function(RouteNames.SaveApiKey)]
    public Task<IResult> SaveApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Post, Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.Save(user, JsonRequest<SaveApiKeyRequest>.Of(request), ct));

    [Function(RouteNames.ListApiKeysForWizard)]
    public Task<IResult> ListApiKeysForWizard(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeysForWizard)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.ListForWizard);

    [Function(RouteNames.ValidateApiKeys)]
    public Task<IResult> ValidateApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.ApiKeysValidate)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, endpoints.Validate);

    [Function(RouteNames.DeleteApiKey)]
    public Task<IResult> DeleteApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Delete, Route = ApiRoutes.ApiKey)] HttpRequest request, string provider) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.Delete(user, provider, ct));
}
