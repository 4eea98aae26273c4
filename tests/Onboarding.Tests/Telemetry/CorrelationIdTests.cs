using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// Every response names its trace in X-Correlation-Id: the W3C trace id a caller's traceparent carried in (or a new one),
/// the same one ProblemDetails' trace_id contains, so a support request can be matched to the server's telemetry.
/// </summary>
public abstract class CorrelationIdTests(ApiFixture api)
{
    [Fact]
    public async Task A_problem_carries_the_correlation_id_of_its_response()
    {
        using var anonymous = api.Host.Client();
        using var unauthorized = await anonymous.GetAsync("api/onboarding/init");
        var (client, _) = api.NewUser();
        using var notFound = await client.GetAsync("api/onboarding/step/7");

        foreach (var response in new[] { unauthorized, notFound })
        {
            var id = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
            Assert.Matches("^[0-9a-f]{32}$", id);
            var problem = await response.ReadJsonAsync();
            Assert.Equal(id, problem["trace_id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_callers_traceparent_becomes_the_correlation_id()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var token = api.Issuer.Mint(ApiFixture.NewSubject());

        // Over a raw socket: an HttpClient in this process would put its own traceparent on the request.
        var response = await RawHttp.SendAsync(api.Host.BaseAddress, "GET", "/api/onboarding/status",
            [("Authorization", "Bearer " + token), ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01")]);

        Assert.Equal(200, response.Status);
        Assert.Equal(traceId, response.Header("X-Correlation-Id"));
    }

    [Fact]
    public async Task Each_request_gets_its_own_correlation_id()
    {
        var (client, _) = api.NewUser();
        using var first = await client.GetAsync("api/onboarding/status");
        using var second = await client.GetAsync("api/onboarding/status");

        Assert.NotEqual(first.Headers.GetValues("X-Correlation-Id").Single(), second.Headers.GetValues("X-Correlation-Id").Single());
    }
}

public sealed class CorrelationIdTestsOnServer(ApiFixture api) : CorrelationIdTests(api), IClassFixture<ApiFixture>;

public sealed class CorrelationIdTestsOnFunctions(FunctionsApiFixture api) : CorrelationIdTests(api), IClassFixture<FunctionsApiFixture>;
