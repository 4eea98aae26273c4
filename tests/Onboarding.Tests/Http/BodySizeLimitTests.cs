using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Http;

/// <summary>Bodies over 1 MiB and step data over the per-step limit are a 413 that stores nothing.</summary>
public abstract class BodySizeLimitTests(ApiFixture api)
{
    private const int OneMiB = 1024 * 1024;

    [Fact]
    public async Task A_body_over_one_MiB_with_a_content_length_is_413_and_changes_nothing()
    {
        var (client, subject) = api.NewUser();
        await Seed.StartedUserAsync(client);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        // Off a raw socket, as the other oversized bodies here: the answer can come while the client is still sending.
        var body = StepJson(OneMiB + 10);
        Assert.True(Encoding.UTF8.GetByteCount(body) > OneMiB);
        var response = await RawHttp.SendAsync(api.Host.BaseAddress, "PUT", "/api/onboarding/step/3", [Authorization(client)], body);

        response.ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task A_chunked_body_over_one_MiB_is_413_and_changes_nothing()
    {
        var (client, subject) = api.NewUser();
        await Seed.StartedUserAsync(client);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        // Off a raw socket: the answer comes while the client is still sending, which HttpClient reports as a broken pipe.
        var response = await RawHttp.SendChunkedAsync(api.Host.BaseAddress, "POST", "/api/onboarding/step/3/complete",
            [Authorization(client)], Encoding.UTF8.GetBytes("{\"data\":" + StepJson(OneMiB + 10) + "}"));

        response.ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task A_chunked_body_under_the_limit_is_read_whole_and_stored()
    {
        var (client, _) = api.NewUser();
        await Seed.StartedUserAsync(client);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
        var data = StepJson(200_000);

        var response = await RawHttp.SendChunkedAsync(api.Host.BaseAddress, "PUT", "/api/onboarding/step/3", [Authorization(client)], Encoding.UTF8.GetBytes(data));

        Assert.Equal(200, response.Status);
        var stored = await (await client.GetAsync("api/onboarding/step/3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(200_000, stored["data"]!["researchSummary"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task An_api_key_body_over_one_MiB_is_413_and_stores_no_key()
    {
        var (client, subject) = api.NewUser();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var body = "{\"provider\":\"openai\",\"api_key\":\"" + StepData.OpenAiKey + "\",\"description\":\"" + new string('d', OneMiB) + "\"}";
        var response = await RawHttp.SendAsync(api.Host.BaseAddress, "POST", "/api/onboarding/api-keys", [Authorization(client)], body);

        response.ExpectProblem(HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Theory]
    [InlineData("PUT", "api/onboarding/step/3")]
    [InlineData("POST", "api/onboarding/step/3/complete")]
    public async Task Step_data_over_the_step_limit_but_under_one_MiB_is_413_and_changes_nothing(string method, string path)
    {
        var (client, subject) = api.NewUser();
        await Seed.StartedUserAsync(client);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var data = StepJson(600_000);
        var body = method == "PUT" ? data : "{\"data\":" + data + "}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Infrastructure.Http.Json(body) };
        Assert.True(request.Content.Headers.ContentLength < OneMiB);
        var response = await client.SendAsync(request);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Contains("Step data", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    private static (string Name, string Value) Authorization(HttpClient client) => ("Authorization", client.DefaultRequestHeaders.Authorization!.ToString());

    /// <summary>Valid step-3 data whose JSON is about <paramref name="length"/> characters.</summary>
    private static string StepJson(int length) => "{\"researchSummary\":\"" + new string('r', length) + "\"}";
}

public sealed class BodySizeLimitTestsOnServer(ApiFixture api) : BodySizeLimitTests(api), IClassFixture<ApiFixture>;

public sealed class BodySizeLimitTestsOnFunctions(FunctionsApiFixture api) : BodySizeLimitTests(api), IClassFixture<FunctionsApiFixture>;
