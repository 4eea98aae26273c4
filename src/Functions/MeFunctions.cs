using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The signed-in user's own data: who am I, export it, erase it. One-line delegations to Core.</summary>
public sealed class MeFunctions(MeEndpoints endpoints)
{
    [Function(RouteNames.GetMe)]
    public Task<IResult> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Me)] HttpRequest request) =>
        endpoints.Get(request.HttpContext);

    [Function(RouteNames.ExportMe)]
    public Task<IResult> ExportMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.MeExport)] HttpRequest request) =>
        endpoints.Export(request.HttpContext);

    [Function(RouteNames.DeleteMe)]
    public Task<IResult> DeleteMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Delete, Route = ApiRoutes.Me)] HttpRequest request) =>
        endpoints.Delete(request.HttpContext);
}
