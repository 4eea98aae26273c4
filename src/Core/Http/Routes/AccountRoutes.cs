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
        For<MeEndpoints>(RouteNames.GetMe, HttpVerb.Get, ApiRoutes.Me, (e, c) => e.Get(c),
            new(Tag, "The caller's identity, from the validated token.", typeof(MeView))),
        For<MeEndpoints>(RouteNames.ExportMe, HttpVerb.Get, ApiRoutes.MeExport, (e, c) => e.Export(c),
            new(Tag, "An export of all of the caller's data, API keys masked.", typeof(ExportView))),
        For<MeEndpoints>(RouteNames.DeleteMe, HttpVerb.Delete, ApiRoutes.Me, (e, c) => e.Delete(c),
            new(Tag, "Erases all of the caller's data: progress, step data and API keys.", null, StatusCodes.Status204NoContent)),
    ];
}
