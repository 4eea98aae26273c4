using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Onboarding.Core.Http;

namespace Onboarding.Functions;

/// <summary>Liveness and readiness probes: the only routes on the anonymous allow-list.</summary>
public sealed class HealthFunctions(HealthEndpoints endpoints)
{
    [Function(RouteNames.GetHealth)]
    public Task<IResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.Health)] HttpRequest request) =>
        FunctionAnswer.WriteAsync(request.HttpContext, endpoints.Live());

    [Function(RouteNames.GetHealthReady)]
    public async Task<IResult> GetHealthReady(
        [HttpTrigger(AuthorizationLevel.Anonymous, HttpVerb.Get, Route = ApiRoutes.HealthReady)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await FunctionAnswer.WriteAsync(request.HttpContext, await endpoints.Ready(cancellationToken));
}
