using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

/// <summary>
/// What a write answers is what a read right after it returns: data, status, timestamps and ETags. The write path builds
/// its answer from what it stored instead of reading the partition back, and these tests hold it to the read.
/// </summary>
public abstract class WriteResponseTests(ApiFixture api)
{
    private const string GeminiKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv";

    /// <summary>Escapes, non-ASCII text, number spellings and nesting that a careless round trip could change.</summary>
    private const string AwkwardData = """
        {"website":"https://example.com/caf\u00e9?q=<b>&x=1","note":"line\nbreak \"quoted\" \u2028 é 😀 \ud83d\ude00",
         "n":1.50,"e":1E+3,"big":12345678901234567890,"neg":-0.0,"t":true,"z":null,
         "nested":{"a":[1,2,{"b":null,"c":[]}],"empty":{}},"camelCase":{"corePersona":{"identity":"x"}}}
        """;

    [Fact]
    public async Task A_draft_save_answers_the_data_status_and_etag_a_read_then_returns()
    {
        var (client, _) = api.NewUser();

        var saved = await client.PutAsync("api/onboarding/step/2", Infrastructure.Http.Json(AwkwardData));
        var body = await saved.ExpectAsync(HttpStatusCode.OK);
        var read = await client.GetAsync("api/onboarding/step/2");
        var stored = await read.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(stored["data"]!.ToJsonString(), body["data"]!.ToJsonString());
        Assert.Equal(stored["status"]!.GetValue<string>(), body["status"]!.GetValue<string>());
        Assert.NotNull(saved.Headers.ETag);
        Assert.Equal(read.Headers.ETag, saved.Headers.ETag);
    }

    [Fact]
    public async Task The_etag_a_draft_save_answers_is_accepted_as_if_match_by_the_next_save()
    {
        var (client, _) = api.NewUser();
        var first = await client.PutJsonAsync("api/onboarding/step/2", new { website = "https://one.example" });
        await first.ExpectAsync(HttpStatusCode.OK);

        using var second = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Infrastructure.Http.Json(new { website = "https://two.example" }) };
        second.Headers.IfMatch.Add(first.Headers.ETag!);
        await (await client.SendAsync(second)).ExpectAsync(HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2") { Content = Infrastructure.Http.Json(new { website = "https://three.example" }) };
        stale.Headers.IfMatch.Add(first.Headers.ETag!);
        await (await client.SendAsync(stale)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_step_completion_answers_the_data_and_etag_a_read_then_returns()
    {
        var (client, _) = api.NewUser();
        var keys = await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1);
        var keysBody = await keys.ExpectAsync(HttpStatusCode.OK);
        var step1 = await client.GetAsync("api/onboarding/step/1");
        Assert.Equal((await step1.ExpectAsync(HttpStatusCode.OK))["data"]!.ToJsonString(), keysBody["data"]!.ToJsonString());
        Assert.Equal(step1.Headers.ETag, keys.Headers.ETag);

        var done = await client.PostAsync("api/onboarding/step/2/complete", Infrastructure.Http.Json($$"""{"data":{{AwkwardData}}}"""));
        var body = await done.ExpectAsync(HttpStatusCode.OK);
        var read = await client.GetAsync("api/onboarding/step/2");
        var stored = await read.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(stored["data"]!.ToJsonString(), body["data"]!.ToJsonString());
        Assert.Equal("completed", stored["status"]!.GetValue<string>());
        Assert.NotNull(done.Headers.ETag);
        Assert.Equal(read.Headers.ETag, done.Headers.ETag);
    }

    [Fact]
    public async Task Start_finish_and_reset_answer_the_progress_a_read_then_returns()
    {
        var (client, _) = api.NewUser();

        var started = await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Status(await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK)), Status(started));

        for (var step = 1; step <= 4; step++)
        {
            await (await client.PostJsonAsync($"api/onboarding/step/{step}/complete", StepData.For(step))).ExpectAsync(HttpStatusCode.OK);
        }

        await (await client.PostAsync("api/onboarding/step/5/skip", null)).ExpectAsync(HttpStatusCode.OK);
        var finished = await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        var status = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(status["completed_at"]!.ToJsonString(), finished["completed_at"]!.ToJsonString());
        Assert.Equal(status["completion_percentage"]!.ToJsonString(), finished["completion_percentage"]!.ToJsonString());

        var soft = await (await client.PostAsync("api/onboarding/reset", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK)).ToJsonString(), soft["progress"]!.ToJsonString());

        var hard = await (await client.PostAsync("api/onboarding/reset?hard=true", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK)).ToJsonString(), hard["progress"]!.ToJsonString());
    }

    [Fact]
    public async Task After_a_key_is_saved_and_deleted_the_listing_matches_what_the_writes_answered()
    {
        var (client, _) = api.NewUser();
        var saved = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("saved", saved["status"]!.GetValue<string>());
        var listed = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(saved["hint"]!.GetValue<string>(), listed["api_keys"]!["gemini"]!.GetValue<string>());

        await (await client.DeleteAsync("api/onboarding/api-keys/gemini")).ExpectAsync(HttpStatusCode.NoContent);
        var after = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, after["total_providers"]!.GetValue<int>());
    }

    private static string Status(JsonNode status) => new JsonObject
    {
        ["is_completed"] = status["is_completed"]!.DeepClone(),
        ["current_step"] = status["current_step"]!.DeepClone(),
        ["started_at"] = status["started_at"]!.DeepClone(),
        ["completion_percentage"] = status["completion_percentage"]!.DeepClone(),
    }.ToJsonString();
}

public sealed class WriteResponseTestsOnServer(ApiFixture api) : WriteResponseTests(api), IClassFixture<ApiFixture>;

public sealed class WriteResponseTestsOnFunctions(FunctionsApiFixture api) : WriteResponseTests(api), IClassFixture<FunctionsApiFixture>;
