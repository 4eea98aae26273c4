using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;
using Onboarding.Testing;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>
/// Mapping a typed route: its description restates the success its handler declares (mapping refuses one that
/// disagrees), and the protected-route frame answers for it even where no host step set the user.
/// </summary>
public sealed class RouteMappingTests
{
    [Fact]
    public async Task A_description_that_disagrees_with_the_handlers_answer_fails_when_mapped()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        var described = new RouteDescription("Test", "Answers a MeView.", typeof(ExportView));
        var route = ApiRoute.Map("Mismatched", HttpVerb.Get, "mismatched", () => TypedResults.Ok(new MeView("id", "issuer", "subject", null, null)), described);

        var refused = Assert.Throws<InvalidOperationException>(() => app.MapApiRoute(route));
        Assert.Contains("'Mismatched' is described as 200 ExportView but its handler answers 200 MeView", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_description_that_matches_the_handlers_answer_is_mapped()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();
        var described = new RouteDescription("Test", "Answers nothing.", null, StatusCodes.Status204NoContent);
        var route = ApiRoute.Map("Matching", HttpVerb.Delete, "matching", () => Task.FromResult(TypedResults.NoContent()), described);

        Assert.NotNull(app.MapApiRoute(route));
    }

    [Fact]
    public async Task A_protected_typed_route_without_a_user_is_401_not_a_binding_failure()
    {
        // No authentication step at all: only the route's own frame stands between the request and the handler, which
        // must not run, and the CurrentUser parameter cannot bind.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddProblemDetails();
        await using var app = builder.Build();
        var handled = 0;
        app.MapApiRoute(ApiRoute.Map("Protected", HttpVerb.Post, "protected", (CurrentUser user, JsonRequest<SaveApiKeyRequest> body) =>
        {
            Interlocked.Increment(ref handled);
            return TypedResults.Ok(new MeView(user.UserKey, user.Issuer, user.Subject, null, null));
        }, new RouteDescription("Test", "Protected.", typeof(MeView))));
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var client = new HttpClient { BaseAddress = LoopbackAddress.Of(app.Services) };
        using var brokenJson = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("protected", brokenJson, TestContext.Current.CancellationToken);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, handled);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
