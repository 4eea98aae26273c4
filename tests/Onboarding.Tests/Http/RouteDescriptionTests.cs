using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Onboarding.Core.Http;
using Onboarding.Core.Onboarding;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>A route's description restates the success its typed handler declares; mapping refuses one that disagrees.</summary>
public sealed class RouteDescriptionTests
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
}
