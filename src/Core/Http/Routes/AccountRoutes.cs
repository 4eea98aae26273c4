using Microsoft.AspNetCore.Mvc;
using Onboarding.Core.Identity;
using Microsoft.AspNetCore.Http;
using Onboarding.Core.Onboarding;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>The caller's own identity and data: who am I, export, erase.</summary>
internal static class AccountRoutes
{
    public const string Tag = "Account";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Map(RouteNames.GetMe, HttpVerb.Get, ApiRoutes.Me, ([FromServices] MeEndpoints e, CurrentUser user) => e.Get(user),
            new(Tag, "The caller's identity, from the validated token.", typeof(MeView))),
        Map(RouteNames.ExportMe, HttpVerb.Get, ApiRoutes.MeExport,
            ([FromServices] MeEndpoints e, CurrentUser user, HttpResponse response, CancellationToken ct) => e.Export(user, response, ct),
            new(Tag, "An export of all of the caller's data, API keys masked.", typeof(ExportView))),
        Map(RouteNames.DeleteMe, HttpVerb.Delete, ApiRoutes.Me, ([FromServices] MeEndpoints e, CurrentUser user, CancellationToken ct) => e.Delete(user, ct),
            new(Tag, "Erases all of the caller's data: progress, step data and API keys.", null, StatusCodes.Status204NoContent)),
    ];
}
