using System.Net;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Onboarding;

/// <summary>
/// Under the strict profile the server enforces the wizard's order: a step completes only after the earlier ones,
/// nothing may be skipped, and onboarding finishes only when every step is done. Refusals change nothing.
/// </summary>
public abstract class StepOrderTests(ApiFixture api)
{
    [Theory]
    [InlineData(2, "Complete step 1 before step 2.")]
    [InlineData(3, "Complete steps 1, 2 before step 3.")]
    [InlineData(4, "Complete steps 1, 2, 3 before step 4.")]
    [InlineData(5, "Complete steps 1, 2, 3, 4 before step 5.")]
    public async Task Completing_a_step_before_the_earlier_ones_is_409_and_changes_nothing(int step, string detail)
    {
        var (client, subject) = api.NewUser();
        await (await client.PostAsync("api/onboarding/start", null)).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var problem = await (await client.PostJsonAsync($"api/onboarding/step/{step}/complete", StepData.For(step))).ExpectProblemAsync(HttpStatusCode.Conflict, "step-order");

        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task A_step_completes_once_the_step_before_it_is_done()
    {
        var (client, _) = api.NewUser();

        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectProblemAsync(HttpStatusCode.Conflict, "step-order");
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", StepData.Step2)).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/4/complete", StepData.Step4)).ExpectProblemAsync(HttpStatusCode.Conflict, "step-order");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task No_step_can_be_skipped_and_a_refused_skip_changes_nothing(int step)
    {
        var (client, subject) = api.NewUser();
        await CompleteAsync(client, 1, 2, 3, 4);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var refused = await (await client.PostAsync($"api/onboarding/step/{step}/skip", null)).ExpectProblemAsync(HttpStatusCode.BadRequest, "step-not-optional");

        Assert.Contains("cannot be skipped", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
        var status = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, status["current_step"]!.GetValue<int>());
        Assert.Equal(5, status["next_step"]!.GetValue<int>());
        Assert.False(status["can_proceed_to_final"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Step_1_needs_at_least_one_api_key()
    {
        var (client, _) = api.NewUser();

        var problem = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { } } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");

        Assert.Equal(["api_keys"], problem.ErrorFields());
    }

    [Fact]
    public async Task Onboarding_cannot_be_finished_until_every_required_step_is_done()
    {
        var (client, subject) = api.NewUser();

        for (var done = 0; done <= 4; done++)
        {
            if (done > 0)
            {
                await CompleteAsync(client, done);
            }

            var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
            var finish = await (await client.PostAsync("api/onboarding/complete", null)).ExpectProblemAsync(HttpStatusCode.Conflict, "onboarding-incomplete");
            var step6 = await (await client.PostJsonAsync("api/onboarding/step/6/complete", new { data = new { } })).ExpectProblemAsync(HttpStatusCode.Conflict, "onboarding-incomplete");
            var status = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);

            Assert.Contains(done == 4 ? "complete step 5 first" : "complete steps", finish["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(finish["detail"]!.GetValue<string>(), step6["detail"]!.GetValue<string>());
            Assert.False(status["can_proceed_to_final"]!.GetValue<bool>());
            Assert.False(status["is_completed"]!.GetValue<bool>());
            Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
        }

        await CompleteAsync(client, 5);
        var finished = await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        var again = await (await client.PostAsync("api/onboarding/complete", null)).ExpectAsync(HttpStatusCode.OK);
        var progress = await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(100, finished["completion_percentage"]!.GetValue<int>());
        Assert.Equal(finished["completed_at"]!.GetValue<DateTimeOffset>(), again["completed_at"]!.GetValue<DateTimeOffset>());
        Assert.True(progress["is_completed"]!.GetValue<bool>());
        Assert.Equal("completed", progress["steps"]![4]!["status"]!.GetValue<string>());
        Assert.Null(progress["next_step"]);
    }

    [Fact]
    public async Task Completing_step_6_finishes_onboarding_like_the_complete_route()
    {
        var (client, _) = api.NewUser();
        await CompleteAsync(client, 1, 2, 3, 4, 5);

        await (await client.PostJsonAsync("api/onboarding/step/6/complete", new { data = new { confirmed = true } })).ExpectAsync(HttpStatusCode.OK);

        var status = await (await client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(status["is_completed"]!.GetValue<bool>());
        Assert.NotNull(status["completed_at"]);
        Assert.Equal(100, status["completion_percentage"]!.GetValue<int>());
    }

    [Fact]
    public async Task Drafts_can_be_saved_in_any_order_without_completing_anything()
    {
        var (client, _) = api.NewUser();

        await (await client.PutJsonAsync("api/onboarding/step/4", new { corePersona = new { identity = "Draft" } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/6", new { note = "later" })).ExpectAsync(HttpStatusCode.OK);

        var progress = await (await client.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(progress["steps"]!.AsArray(), s => Assert.Equal("pending", s!["status"]!.GetValue<string>()));
        Assert.Equal("Draft", progress["steps"]![3]!["data"]!["corePersona"]!["identity"]!.GetValue<string>());
        Assert.Equal(1, progress["current_step"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_soft_reset_sends_every_step_back_to_pending_and_keeps_data_and_keys()
    {
        var (client, subject) = api.NewUser();
        await CompleteAsync(client, 1, 2, 3);

        var reset = await (await client.PostAsync("api/onboarding/reset", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.False(reset["hard"]!.GetValue<bool>());
        Assert.All(reset["progress"]!["steps"]!.AsArray(), s => Assert.Equal("pending", s!["status"]!.GetValue<string>()));
        var step2 = await (await client.GetAsync("api/onboarding/step/2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://example.com", step2["data"]!["website"]!.GetValue<string>());
        var keys = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****mnop", keys["api_keys"]!["openai"]!.GetValue<string>());
        await (await client.PostJsonAsync("api/onboarding/step/3/complete", StepData.Step3)).ExpectProblemAsync(HttpStatusCode.Conflict, "step-order");
        var rows = await PartitionDump.RowsAsync(api.Azurite, CurrentUser.DeriveUserKey(api.Issuer.Authority, subject));
        Assert.Equal(["apikey-openai", "progress", "step-1", "step-2", "step-3"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_hard_reset_also_removes_the_step_data_but_keeps_the_keys()
    {
        var (client, subject) = api.NewUser();
        await CompleteAsync(client, 1, 2, 3);

        var reset = await (await client.PostAsync("api/onboarding/reset?hard=true", null)).ExpectAsync(HttpStatusCode.OK);

        Assert.True(reset["hard"]!.GetValue<bool>());
        var step2 = await (await client.GetAsync("api/onboarding/step/2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(step2["data"]);
        var step1 = await (await client.GetAsync("api/onboarding/step/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****mnop", step1["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        var rows = await PartitionDump.RowsAsync(api.Azurite, CurrentUser.DeriveUserKey(api.Issuer.Authority, subject));
        Assert.Equal(["apikey-openai", "progress"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        await (await client.PostAsync("api/onboarding/step/1/complete", null)).ExpectAsync(HttpStatusCode.OK);
    }

    private static async Task CompleteAsync(HttpClient client, params int[] steps)
    {
        foreach (var step in steps)
        {
            await (await client.PostJsonAsync($"api/onboarding/step/{step}/complete", StepData.For(step))).ExpectAsync(HttpStatusCode.OK);
        }
    }
}

public sealed class StepOrderTestsOnServer(StrictApiFixture api) : StepOrderTests(api), IClassFixture<StrictApiFixture>;

public sealed class StepOrderTestsOnFunctions(StrictFunctionsApiFixture api) : StepOrderTests(api), IClassFixture<StrictFunctionsApiFixture>;
