using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>The signed-in user's own data: who am I, export it, erase it. Each calls Core's typed handler inside the protected-route frame.</summary>
public sealed class MeFunctions(MeEndpoints endpoints)
{
    [Function(RouteNames.GetMe)]
    public Task<IResult> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Me)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, _) => Task.FromResult(endpoints.Get(user)));

    [Function(RouteNames.ExportMe)]
    public Task<IResult> ExportMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.MeExport)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.Export(user, request.HttpContext.Response, ct));

    [Function(RouteNames.DeleteMe)]
    public Task<IResult> DeleteMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Delete, Route = ApiRoutes.Me)] HttpRequest request) =>
        FunctionAnswer.RunAsync(request.HttpContext, (user, ct) => endpoints.Delete(user, ct));
}
