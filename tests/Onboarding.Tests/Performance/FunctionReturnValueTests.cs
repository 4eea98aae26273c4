using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>
/// The worker serializes a function's return value into its invocation response, and the host has no use for it on
/// an HTTP function (the proxied response is the answer). So the functions write their answer to the response
/// themselves and return an empty result: no invocation response repeats a body, whatever the route or the outcome.
/// Measured at the test host, on what the worker really sent.
/// </summary>
public sealed class FunctionReturnValueTests(AzuriteFixture azurite)
{
    /// <summary>Room for an empty result serialized as JSON; any answer a client reads is longer.</summary>
    private const int EmptyResultSize = 16;

    [Fact]
    public async Task No_invocation_response_carries_the_answer_the_client_received()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestIssuer.StartAsync();
        await using var host = await FunctionsApiHost.StartAsync(azurite, issuer);
        using var client = host.WithToken(issuer.Mint(ApiFixture.NewSubject()));
        using var anonymous = host.Client();

        var answers = new[]
        {
            await (await client.GetAsync("api/onboarding/init", ct)).ExpectAsync(HttpStatusCode.OK),
            await (await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://example.com" })).ExpectAsync(HttpStatusCode.OK),
            await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK),
            await (await client.GetAsync("api/onboarding/step/9", ct)).ExpectAsync(HttpStatusCode.NotFound),
            await (await anonymous.GetAsync("api/onboarding/init", ct)).ExpectAsync(HttpStatusCode.Unauthorized),
            await (await anonymous.GetAsync("api/health", ct)).ExpectAsync(HttpStatusCode.OK),
        };
        Assert.All(answers, answer => Assert.True(answer.ToJsonString().Length > EmptyResultSize, answer.ToJsonString()));

        // The client can have its answer before the test host has the invocation response: wait for all of them.
        await host.InvocationResponsesReachedAsync(answers.Length).WaitAsync(TimeSpan.FromMinutes(1), ct);
        var sizes = host.ReturnValueSizes;
        Assert.Equal(answers.Length, sizes.Count);
        Assert.All(sizes, size => Assert.InRange(size, 0, EmptyResultSize));
    }
}
