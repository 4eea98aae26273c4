using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Storage;

/// <summary>The "redeploy" case: nothing lives in the process, so a new Server on the same storage carries on where the old one stopped.</summary>
public abstract class RestartTests(ApiFixture api)
{
    [Fact]
    public async Task A_new_server_on_the_same_storage_sees_the_same_progress_data_and_keys()
    {
        var subject = ApiFixture.NewSubject();
        JsonNode progressBefore, keysBefore, exportBefore;
        string draftETag;
        await using (var first = await api.StartHostAsync(api.Issuer))
        {
            using var client = first.WithToken(api.Issuer.Mint(subject));
            await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
            await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
            await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "exa", api_key = StepData.ExaKey })).ExpectAsync(HttpStatusCode.OK);
            var draft = await client.PutJsonAsync("api/onboarding/step/3", new { researchSummary = "half done" });
            await draft.ExpectAsync(HttpStatusCode.OK);
            draftETag = draft.Headers.ETag!.ToString();
            progressBefore = await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);
            keysBefore = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
            exportBefore = await (await client.GetAsync("api/me/export")).ExpectAsync(HttpStatusCode.OK);
        }

        await using var second = await api.StartHostAsync(api.Issuer);
        using var again = second.WithToken(api.Issuer.Mint(subject));
        var progressAfter = await (await again.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);
        var keysAfter = await (await again.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        var exportAfter = await (await again.GetAsync("api/me/export")).ExpectAsync(HttpStatusCode.OK);
        var step3 = await again.GetAsync("api/onboarding/step/3");
        await step3.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(progressBefore.ToJsonString(), progressAfter.ToJsonString());
        Assert.Equal(keysBefore.ToJsonString(), keysAfter.ToJsonString());
        Assert.Equal(exportBefore["onboarding"]!.ToJsonString(), exportAfter["onboarding"]!.ToJsonString());
        Assert.Equal(exportBefore["api_keys"]!.ToJsonString(), exportAfter["api_keys"]!.ToJsonString());
        Assert.Equal(draftETag, step3.Headers.ETag!.ToString());
        Assert.Equal(2, progressAfter["current_step"]!.GetValue<int>());

        // The new instance carries on: the draft's ETag still guards it, and the old secret decrypts when replaced.
        using var request = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/3") { Content = Infrastructure.Http.Json("{\"researchSummary\":\"done\"}") };
        request.Headers.TryAddWithoutValidation("If-Match", draftETag);
        await (await again.SendAsync(request)).ExpectAsync(HttpStatusCode.OK);
        await (await again.PostAsync("api/onboarding/step/3/complete", null)).ExpectAsync(HttpStatusCode.OK);
        var replaced = await (await again.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = "sk-replacement0123456789abcdefWXYZ" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("updated", replaced["status"]!.GetValue<string>());
        var status = await (await again.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, status["current_step"]!.GetValue<int>());
    }
}

public sealed class RestartTestsOnServer(ApiFixture api) : RestartTests(api), IClassFixture<ApiFixture>;

public sealed class RestartTestsOnFunctions(FunctionsApiFixture api) : RestartTests(api), IClassFixture<FunctionsApiFixture>;
