using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The provider API key routes, each a one-line delegation to Core.</summary>
public sealed class ApiKeyFunctions(ApiKeyEndpoints endpoints)
{
    [Function("ListApiKeys")]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        endpoints.List(request.HttpContext);

    [Function("SaveApiKey")]
    public Task<IResult> SaveApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ApiKeys)] HttpRequest request) =>
        endpoints.Save(request.HttpContext);

    [Function("ListApiKeysForWizard")]
    public Task<IResult> ListApiKeysForWizard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ApiKeysForWizard)] HttpRequest request) =>
        endpoints.ListForWizard(request.HttpContext);

    [Function("ValidateApiKeys")]
    public Task<IResult> ValidateApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ApiKeysValidate)] HttpRequest request) =>
        endpoints.Validate(request.HttpContext);

    [Function("DeleteApiKey")]
    public Task<IResult> DeleteApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.ApiKey)] HttpRequest request, string provider) =>
        endpoints.Delete(request.HttpContext, provider);
}
