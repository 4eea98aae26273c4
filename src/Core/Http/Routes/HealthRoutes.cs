using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>Liveness and readiness: the only routes on the anonymous allow-list.</summary>
internal static class HealthRoutes
{
    public const string Tag = "Health";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        For<HealthEndpoints>(RouteNames.GetHealth, HttpVerb.Get, ApiRoutes.Health, (e, c) => e.Live(c),
            new(Tag, "Liveness.", typeof(HealthView)), anonymous: true),
        For<HealthEndpoints>(RouteNames.GetHealthReady, HttpVerb.Get, ApiRoutes.HealthReady, (e, c) => e.Ready(c),
            new(Tag, "Readiness: storage and the secret store answer.", typeof(HealthView), Problems: [503]), anonymous: true),
    ];
}
