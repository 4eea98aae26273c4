using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>Maps <see cref="ApiRoutes.All"/> onto an ASP.NET Core app (the Server); the Functions app declares the same table as functions.</summary>
public static class EndpointMapping
{
    public static RouteGroupBuilder MapOnboardingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        foreach (var route in ApiRoutes.All)
        {
            var handler = HandlerFor(route.Name);
            var endpoint = group.MapMethods(route.Template, [route.Method], (Delegate)handler).WithName(route.Name).Describe(route);
            if (route.Anonymous)
            {
                endpoint.AllowAnonymous();
            }
        }

        return group;
    }

    /// <summary>The handler of each named route. An unknown name fails at start-up, not at request time.</summary>
    public static Func<HttpContext, Task<IResult>> HandlerFor(string routeName) => routeName switch
    {
        "GetInit" => c => Onboarding(c).Init(c),
        "GetStatus" => c => Onboarding(c).Status(c),
        "GetProgress" => c => Onboarding(c).Progress(c),
        "GetConfig" => c => Onboarding(c).Config(c),
        "GetStep" => c => Onboarding(c).GetStep(c, Value(c, "step")),
        "SaveStep" => c => Onboarding(c).SaveStep(c, Value(c, "step")),
        "CompleteStep" => c => Onboarding(c).CompleteStep(c, Value(c, "step")),
        "SkipStep" => c => Onboarding(c).SkipStep(c, Value(c, "step")),
        "StartOnboarding" => c => Onboarding(c).Start(c),
        "ResumeOnboarding" => c => Onboarding(c).Resume(c),
        "ResetOnboarding" => c => Onboarding(c).Reset(c),
        "CompleteOnboarding" => c => Onboarding(c).Complete(c),
        "GetSummary" => c => Onboarding(c).Summary(c),
        "GetWebsiteAnalysis" => c => Onboarding(c).WebsiteAnalysis(c),
        "GetResearchPreferences" => c => Onboarding(c).ResearchPreferences(c),
        "ListApiKeys" => c => Keys(c).List(c),
        "SaveApiKey" => c => Keys(c).Save(c),
        "ListApiKeysForWizard" => c => Keys(c).ListForWizard(c),
        "ValidateApiKeys" => c => Keys(c).Validate(c),
        "DeleteApiKey" => c => Keys(c).Delete(c, Value(c, "provider")),
        "GetMe" => c => Me(c).Get(c),
        "ExportMe" => c => Me(c).Export(c),
        "DeleteMe" => c => Me(c).Delete(c),
        "GetHealth" => c => Health(c).Live(c),
        "GetHealthReady" => c => Health(c).Ready(c),
        _ => throw new InvalidOperationException($"No handler is mapped for route '{routeName}'."),
    };

    private static OnboardingEndpoints Onboarding(HttpContext c) => c.RequestServices.GetRequiredService<OnboardingEndpoints>();

    private static ApiKeyEndpoints Keys(HttpContext c) => c.RequestServices.GetRequiredService<ApiKeyEndpoints>();

    private static MeEndpoints Me(HttpContext c) => c.RequestServices.GetRequiredService<MeEndpoints>();

    private static HealthEndpoints Health(HttpContext c) => c.RequestServices.GetRequiredService<HealthEndpoints>();

    private static string Value(HttpContext c, string name) => c.Request.RouteValues[name]?.ToString() ?? string.Empty;
}
