using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;

namespace Onboarding.Functions;

/// <summary>The signed-in user's own data: who am I, export it, erase it. One-line delegations to Core.</summary>
public sealed class MeFunctions(MeEndpoints endpoints)
{
    [Function("GetMe")]
    public Task<IResult> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Me)] HttpRequest request) =>
        endpoints.Get(request.HttpContext);

    [Function("ExportMe")]
    public Task<IResult> ExportMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.MeExport)] HttpRequest request) =>
        endpoints.Export(request.HttpContext);

    [Function("DeleteMe")]
    public Task<IResult> DeleteMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.Me)] HttpRequest request) =>
        endpoints.Delete(request.HttpContext);
}
