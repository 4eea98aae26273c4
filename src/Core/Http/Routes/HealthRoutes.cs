using Microsoft.AspNetCore.Mvc;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>Liveness and readiness: the only routes on the anonymous allow-list.</summary>
internal static class HealthRoutes
{
    public const string Tag = "Health";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Map(RouteNames.GetHealth, HttpVerb.Get, ApiRoutes.Health, ([FromServices] HealthEndpoints e) => e.Live(),
            new(Tag, "Liveness.", typeof(HealthView)), anonymous: true),
        Map(RouteNames.GetHealthReady, HttpVerb.Get, ApiRoutes.HealthReady, ([FromServices] HealthEndpoints e, CancellationToken ct) => e.Ready(ct),
            new(Tag, "Readiness: storage and the secret store answer.", typeof(HealthView), Problems: [503]), anonymous: true),
    ];
}
