using System.Net;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Performance;

/// <summary>
/// How many storage requests each route costs, counted on the wire by a pipeline policy (retries would count too).
/// These count; nothing here is timed. The tables already exist (the fixture warms them up).
/// </summary>
public sealed class StorageRoundTripTests(CountedApiFixture api) : IClassFixture<CountedApiFixture>
{
    private const string GeminiKey = CountedApiFixture.GeminiKey;
    private const string ReplacementGeminiKey = "AIzaSyB0123456789abcdefghijklmnopqrstuv";

    public static TheoryData<string, string> ReadRoutes => new()
    {
        { "GET", "api/onboarding/init" },
        { "GET", "api/onboarding/status" },
        { "GET", "api/onboarding/progress" },
        { "GET", "api/onboarding/summary" },
        { "GET", "api/onboarding/step/1" },
        { "GET", "api/onboarding/step/2" },
        { "GET", "api/onboarding/api-keys" },
        { "GET", "api/onboarding/api-keys/onboarding" },
        { "GET", "api/me/export" },
        { "POST", "api/onboarding/resume" },
    };

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task Every_read_route_is_exactly_one_partition_query(string method, string path)
    {
        var client = await UserWithTwoStepsDoneAsync();

        api.Reset();
        await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["query onboarding"], api.Storage.Requests);
    }

    [Fact]
    public async Task Init_of_a_brand_new_user_is_exactly_one_partition_query()
    {
        var (client, _) = api.NewUser();

        api.Reset();
        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["query onboarding"], api.Storage.Requests);
    }

    [Theory]
    [InlineData("api/onboarding/config")]
    [InlineData("api/me")]
    public async Task Routes_that_need_no_stored_data_make_no_storage_request(string path)
    {
        var (client, _) = api.NewUser();

        api.Reset();
        await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(api.Storage.Requests);
    }

    [Fact]
    public async Task A_step_completion_is_one_partition_query_and_one_transaction()
    {
        var client = await UserWithTwoStepsDoneAsync();

        api.Reset();
        await (await client.PostJsonAsync("api/onboarding/step/3/complete", StepData.Step3)).ExpectAsync(HttpStatusCode.OK);

        // The query is the read the rules need (order, validation, the progress row's ETag); the transaction writes the
        // step row and the progress row together. The response is built from what was written, not read back.
        Assert.Equal(["query onboarding", "batch"], api.Storage.Requests);
        Assert.Empty(api.SecretCalls);
    }

    [Fact]
    public async Task A_step_draft_save_is_one_partition_query_and_one_transaction()
    {
        var client = await UserWithTwoStepsDoneAsync();

        api.Reset();
        await (await client.PutJsonAsync("api/onboarding/step/3", new { researchSummary = "draft" })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["query onboarding", "batch"], api.Storage.Requests);
    }

    [Fact]
    public async Task Completing_step_one_with_a_new_key_adds_the_lease_a_read_under_it_and_one_secret_write()
    {
        var (client, _) = api.NewUser();

        api.Reset();
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);

        // The first read checks the step before anything is written; the second is taken under the lease.
        Assert.Equal(["query onboarding", "insert onboarding", "query onboarding", "batch"], api.Storage.OnboardingRequests);
        Assert.Equal(["set"], api.SecretCalls);
    }

    [Theory]
    [InlineData("api/onboarding/start")]
    [InlineData("api/onboarding/reset")]
    [InlineData("api/onboarding/reset?hard=true")]
    public async Task Other_progress_writes_are_one_partition_query_and_one_transaction(string path)
    {
        var (client, _) = api.NewUser();

        api.Reset();
        await (await client.PostAsync(path, null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["query onboarding", "batch"], api.Storage.Requests);
    }

    [Fact]
    public async Task Skipping_and_finishing_are_each_one_partition_query_and_one_transaction()
    {
        var client = await UserWithTwoStepsDoneAsync();
        await (await client.PostJsonAsync("api/onboarding/step/3/complete", StepData.Step3)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/4/complete", StepData.Step4)).ExpectAsync(HttpStatusCode.OK);

        api.Reset();
        await (await client.PostAsync("api/onboarding/step/5/skip", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["query onboarding", "batch"], api.Storage.Requests);

        api.Reset();
        await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["query onboarding", "batch"], api.Storage.Requests);
    }

    [Fact]
    public async Task A_write_that_changes_nothing_is_only_the_partition_query()
    {
        var (client, _) = api.NewUser();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);

        api.Reset();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["query onboarding"], api.Storage.Requests);
    }

    [Fact]
    public async Task Saving_a_new_api_key_is_the_lease_one_partition_query_one_transaction_and_one_secret_write()
    {
        var (client, _) = api.NewUser();

        api.Reset();
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey })).ExpectAsync(HttpStatusCode.OK);

        // The key lease is added, and released by the same transaction that commits the index row.
        Assert.Equal(["insert onboarding", "query onboarding", "batch"], api.Storage.OnboardingRequests);
        Assert.Equal(["set"], api.SecretCalls);
    }

    [Fact]
    public async Task Replacing_an_api_key_reads_the_old_secret_once_to_be_able_to_restore_it()
    {
        var (client, _) = api.NewUser();
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey })).ExpectAsync(HttpStatusCode.OK);

        api.Reset();
        var replaced = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = ReplacementGeminiKey })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("updated", replaced["status"]!.GetValue<string>());
        Assert.Equal(["insert onboarding", "query onboarding", "batch"], api.Storage.OnboardingRequests);
        Assert.Equal(["get", "set"], api.SecretCalls);
    }

    [Fact]
    public async Task Deleting_an_api_key_is_the_lease_one_partition_query_one_transaction_one_secret_delete_and_the_release()
    {
        var (client, _) = api.NewUser();
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey })).ExpectAsync(HttpStatusCode.OK);

        api.Reset();
        await (await client.DeleteAsync("api/onboarding/api-keys/gemini")).ExpectAsync(HttpStatusCode.NoContent);

        // The lease stays held across the secret delete (the row goes first), so it is released on its own.
        Assert.Equal(["insert onboarding", "query onboarding", "batch", "delete onboarding"], api.Storage.OnboardingRequests);
        Assert.Equal(["delete"], api.SecretCalls);
    }

    private async Task<HttpClient> UserWithTwoStepsDoneAsync()
    {
        var (client, _) = api.NewUser();
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
        return client;
    }
}
