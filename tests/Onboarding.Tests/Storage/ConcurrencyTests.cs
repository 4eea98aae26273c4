using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;
using Onboarding.Tests.Infrastructure;
using StepData = Onboarding.Tests.Infrastructure.StepData;
using Xunit;

namespace Onboarding.Tests.Storage;

/// <summary>
/// 32 parallel writers of one user (completions, If-Match appends and repeated blind drafts) end in a state that holds
/// every acknowledged write, with only 2xx, 409 (order) and 412 (stale ETag) answers; on one instance (the per-user
/// lock) and across two instances on the same storage (only the ETags).
/// </summary>
public abstract class ConcurrencyTests(ApiFixture api)
{
    private const int Appenders = 8;
    private const int DraftWriters = 21;
    private static readonly int[] CompletedInParallel = [2, 3, 4];

    [Fact]
    public async Task Thirty_two_parallel_writes_on_one_instance_lose_no_update()
    {
        var subject = ApiFixture.NewSubject();
        using var client = api.Host.WithToken(api.Issuer.Mint(subject));

        await RunAndVerifyAsync([client]);
    }

    [Fact]
    public async Task Thirty_two_parallel_writes_across_two_instances_lose_no_update()
    {
        var subject = ApiFixture.NewSubject();
        await using var second = await api.StartHostAsync(api.Issuer);
        using var one = api.Host.WithToken(api.Issuer.Mint(subject));
        using var two = second.WithToken(api.Issuer.Mint(subject));

        await RunAndVerifyAsync([one, two]);
    }

    [Fact]
    public async Task A_change_planned_on_a_progress_row_another_instance_has_since_written_is_refused_whole()
    {
        var subject = ApiFixture.NewSubject();
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        // The planning instance is an in-process Server (its table is read directly); the write in between comes
        // through the host under test.
        await using var second = await ApiServer.StartAsync(api.Azurite, api.Issuer);
        using var client = api.Host.WithToken(api.Issuer.Mint(subject));
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        var table = second.Services.GetRequiredService<OnboardingTable>();
        var stale = await table.ReadAsync(userKey, CancellationToken.None);

        await (await client.PutJsonAsync("api/onboarding/step/5", new { note = "other instance" })).ExpectAsync(HttpStatusCode.OK);
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        var now = DateTimeOffset.UtcNow;
        var change = new PartitionChange(stale.Progress.WithStep(new StepProgress(2, StepStatus.Completed, now, now), now), stale.ProgressETag);
        change.StepWrites.Add(new StepWrite(2, new JsonObject { ["website"] = "https://lost.example" }));

        await Assert.ThrowsAsync<ConcurrentUpdateException>(() => table.SubmitAsync(userKey, change, CancellationToken.None));
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    private static async Task RunAndVerifyAsync(HttpClient[] clients)
    {
        var first = clients[0];
        await (await first.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        await (await first.PutJsonAsync("api/onboarding/step/5", new { writers = new JsonArray() })).ExpectAsync(HttpStatusCode.OK);
        var answers = new ConcurrentBag<(string Writer, HttpStatusCode Status, string Body)>();
        var drafts = new ConcurrentDictionary<string, int>();
        using var start = new SemaphoreSlim(0);

        var workers = new List<Task>();
        var index = 0;
        foreach (var step in CompletedInParallel)
        {
            var client = clients[index++ % clients.Length];
            workers.Add(Task.Run(async () =>
            {
                await start.WaitAsync();
                await CompleteWhenAllowedAsync(client, step, answers);
            }));
        }

        for (var i = 0; i < Appenders; i++)
        {
            var client = clients[index++ % clients.Length];
            var writer = $"appender-{i}";
            workers.Add(Task.Run(async () =>
            {
                await start.WaitAsync();
                await AppendAsync(client, writer, answers);
            }));
        }

        // Draft writers keep rewriting step 6 (and so the progress row) until the others are done, so every completion
        // and append races with progress writes from both instances.
        using var othersDone = new CancellationTokenSource();
        var others = Task.WhenAll(workers);
        for (var i = 0; i < DraftWriters; i++)
        {
            var client = clients[index++ % clients.Length];
            var writer = i;
            workers.Add(Task.Run(async () =>
            {
                await start.WaitAsync();
                for (var round = 0; round == 0 || (!othersDone.IsCancellationRequested && round < 5); round++)
                {
                    var note = (writer * 1000) + round;
                    var response = await client.PutJsonAsync("api/onboarding/step/6", new { note });
                    answers.Add(("draft", response.StatusCode, await response.Content.ReadAsStringAsync()));
                    if (response.IsSuccessStatusCode)
                    {
                        drafts[response.Headers.ETag!.ToString()] = note;
                    }
                }
            }));
        }

        Assert.Equal(32, workers.Count);
        start.Release(workers.Count);
        await others.WaitAsync(TimeSpan.FromSeconds(60));
        await othersDone.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        // Every answer was a success or a documented refusal for that kind of write.
        foreach (var (writer, status, body) in answers)
        {
            var allowed = writer switch
            {
                "completer" => status is HttpStatusCode.OK or HttpStatusCode.Conflict,
                "appender" => status is HttpStatusCode.OK or HttpStatusCode.PreconditionFailed,
                _ => status is HttpStatusCode.OK,
            };
            Assert.True(allowed, $"A {writer} got {(int)status}: {body}");
        }

        // Every acknowledged write is in the final state.
        var progress = await (await first.GetAsync("api/onboarding/progress")).ExpectAsync(HttpStatusCode.OK);
        var statuses = progress["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["completed", "completed", "completed", "completed", "pending", "pending"], statuses);
        Assert.Equal(4, progress["current_step"]!.GetValue<int>());
        foreach (var step in CompletedInParallel)
        {
            var expected = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(StepData.For(step)))!["data"];
            Assert.True(JsonNode.DeepEquals(expected, progress["steps"]![step - 1]!["data"]), $"Step {step} does not hold the completed data.");
        }

        var writers = progress["steps"]![4]!["data"]!["writers"]!.AsArray().Select(w => w!.GetValue<string>()).ToArray();
        Assert.Equal(Enumerable.Range(0, Appenders).Select(i => $"appender-{i}").Order(), writers.Order());
        Assert.Equal(Appenders, answers.Count(a => a.Writer == "appender" && a.Status == HttpStatusCode.OK));

        var step6 = await first.GetAsync("api/onboarding/step/6");
        var finalDraft = await step6.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(answers.Count(a => a.Writer == "draft"), drafts.Count);
        Assert.True(drafts.TryGetValue(step6.Headers.ETag!.ToString(), out var finalNote), "The final draft's ETag is not one any writer was given.");
        Assert.Equal(finalNote, finalDraft["data"]!["note"]!.GetValue<int>());
    }

    /// <summary>Completes the step, retrying while an earlier step (completed by another worker) is not done yet.</summary>
    private static async Task CompleteWhenAllowedAsync(HttpClient client, int step, ConcurrentBag<(string, HttpStatusCode, string)> answers)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var response = await client.PostJsonAsync($"api/onboarding/step/{step}/complete", StepData.For(step));
            answers.Add(("completer", response.StatusCode, await response.Content.ReadAsStringAsync()));
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                return;
            }

            await Task.Yield();
        }

        Assert.Fail($"Step {step} could not be completed in 200 attempts.");
    }

    /// <summary>Read-modify-write of step 5 under If-Match: adds the writer's name, retrying on a stale ETag.</summary>
    private static async Task AppendAsync(HttpClient client, string writer, ConcurrentBag<(string, HttpStatusCode, string)> answers)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var read = await client.GetAsync("api/onboarding/step/5");
            var step = await read.ExpectAsync(HttpStatusCode.OK);
            var writers = step["data"]!["writers"]!.AsArray();
            writers.Add(writer);
            using var request = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/5")
            {
                Content = Infrastructure.Http.Json(new JsonObject { ["writers"] = writers.DeepClone() }.ToJsonString()),
            };
            request.Headers.IfMatch.Add(read.Headers.ETag!);
            var response = await client.SendAsync(request);
            answers.Add(("appender", response.StatusCode, await response.Content.ReadAsStringAsync()));
            if (response.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                return;
            }
        }

        Assert.Fail($"{writer} could not append in 500 attempts.");
    }
}

public sealed class ConcurrencyTestsOnServer(ApiFixture api) : ConcurrencyTests(api), IClassFixture<ApiFixture>;

public sealed class ConcurrencyTestsOnFunctions(FunctionsApiFixture api) : ConcurrencyTests(api), IClassFixture<FunctionsApiFixture>;
