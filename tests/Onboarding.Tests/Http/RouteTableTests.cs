using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.Http;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>
/// Each host serves exactly Core's route table (the Server as mapped endpoints, the Functions worker as the functions
/// it reports to its host), and only the allow-listed routes answer without a token.
/// </summary>
public abstract class RouteTableTests(ApiFixture api)
{
    [Fact]
    public void The_host_serves_exactly_the_core_route_table()
    {
        var mapped = (api.Host switch
        {
            ApiServer server => server.Services.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith(ApiRoutes.Prefix + "/", StringComparison.Ordinal) == true)
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Template(e)}")),

            // What the worker reported over gRPC (FunctionMetadataResponse), with the host's route prefix.
            FunctionsApiHost functions => functions.Functions
                .SelectMany(f => f.Methods.Select(m => $"{m.ToUpperInvariant()} {f.Route}")),
            _ => throw new InvalidOperationException("Unknown host."),
        }).Order(StringComparer.Ordinal).ToArray();

        var expected = ApiRoutes.All.Select(r => $"{r.Method} {ApiRoutes.Prefix}/{r.Template}").Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected, mapped);
        Assert.Equal(25, expected.Length);
    }

    [Fact]
    public void Only_the_health_routes_are_anonymous_in_the_route_table()
    {
        Assert.Equal(["GetHealth", "GetHealthReady"], ApiRoutes.All.Where(r => r.Anonymous).Select(r => r.Name));
        Assert.True(ApiRoutes.IsAnonymous("GetHealth"));
        Assert.False(ApiRoutes.IsAnonymous("GetMe"));
    }

    [Fact]
    public async Task Every_route_but_health_needs_a_token()
    {
        using var anonymous = api.Host.Client();

        foreach (var route in ApiRoutes.All)
        {
            var path = ApiRoutes.Prefix + "/" + route.Template.Replace("{step}", "1", StringComparison.Ordinal).Replace("{provider}", "openai", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            var response = await anonymous.SendAsync(request);

            if (route.Anonymous)
            {
                await response.ExpectAsync(HttpStatusCode.OK);
            }
            else
            {
                await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            }
        }
    }

    [Theory]
    [InlineData("GET", "api/unknown")]
    [InlineData("GET", "api/onboarding/step/1/extra")]
    [InlineData("GET", "nothing-here")]
    [InlineData("DELETE", "api/onboarding/step/1")]
    [InlineData("OPTIONS", "api/onboarding/init")]
    public async Task An_unknown_path_or_verb_without_a_token_is_401_and_with_one_404_or_405(string method, string path)
    {
        using var anonymous = api.Host.Client();
        using var authenticated = api.Host.WithToken(api.Issuer.Mint(ApiFixture.NewSubject()));

        var withoutToken = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var withToken = await authenticated.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        if (api.Kind == ApiHostKind.Functions)
        {
            // By design of the Functions host: a request no function's route and verb match never reaches the worker
            // (so no token check runs), and the host answers a bare 404 itself, token or not.
            foreach (var response in new[] { withoutToken, withToken })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            }

            return;
        }

        await withoutToken.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains(withToken.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        await withToken.ExpectProblemAsync(withToken.StatusCode);
    }

    [Fact]
    public async Task Health_answers_without_a_token_and_readiness_checks_storage_and_secrets()
    {
        using var anonymous = api.Host.Client();

        var live = await (await anonymous.GetAsync("api/health")).ExpectAsync(HttpStatusCode.OK);
        var ready = await (await anonymous.GetAsync("api/health/ready")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("healthy", live["status"]!.GetValue<string>());
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal("ok", ready["checks"]!["storage"]!.GetValue<string>());
        Assert.Equal("ok", ready["checks"]!["secrets"]!.GetValue<string>());
    }

    private static string Template(RouteEndpoint endpoint) => endpoint.RoutePattern.RawText!.TrimStart('/');
}

public sealed class RouteTableTestsOnServer(ApiFixture api) : RouteTableTests(api), IClassFixture<ApiFixture>;

public sealed class RouteTableTestsOnFunctions(FunctionsApiFixture api) : RouteTableTests(api), IClassFixture<FunctionsApiFixture>;
