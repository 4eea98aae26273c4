using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Faults;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// Eight users, two of them with the same <c>sub</c> from two different issuers (on two Servers sharing one Azurite),
/// perform random operations over HTTP: drafts, completions and skips in and out of order, keys saved and deleted, resets,
/// erasure, all sprinkled with spoofed identity hints naming other users. After every operation every user's view equals
/// the model of that user's own actions; at the end the raw tables agree too. Seeded and bounded by a count of operations, never by time, so a slow machine runs the
/// same fuzz, only slower.
/// </summary>
public abstract class IsolationFuzzTests(ApiFixture api)
{
    /// <summary>Replay another run with ONBOARDING_FUZZ_SEED=&lt;n&gt;.</summary>
    private const int DefaultSeed = 20_240_607;
    private const int Operations = 120;

    private static readonly string[] Providers = ["openai", "anthropic", "gemini", "tavily", "exa"];

    [Fact]
    public async Task Random_operations_of_eight_users_never_show_one_user_anything_of_another()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ONBOARDING_FUZZ_SEED"), out var chosen) ? chosen : DefaultSeed;
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Isolation fuzz seed {seed} (replay with ONBOARDING_FUZZ_SEED={seed}).");
        var random = new Random(seed);

        await using var otherServer = await api.StartHostAsync(api.OtherIssuer);
        var shared = ApiFixture.NewSubject("shared");
        var users = Enumerable.Range(0, 6).Select(i => new FuzzUser($"u{i}", api.Host, api.Issuer, ApiFixture.NewSubject($"fuzz{i}"))).ToList();
        users.Add(new FuzzUser("u6", api.Host, api.Issuer, shared));
        users.Add(new FuzzUser("u7", otherServer, api.OtherIssuer, shared));
        Assert.NotEqual(users[6].UserKey, users[7].UserKey);

        var fuzz = new Fuzz(random, users);
        var watch = Stopwatch.StartNew();
        var operations = 0;
        try
        {
            while (operations < Operations)
            {
                operations++;
                var description = await fuzz.StepAsync(operations);
                await VerifyViewsAsync(users, $"seed {seed}, operation {operations}: {description}");
            }

            await VerifyStorageAsync(users, $"seed {seed}, after {operations} operations");
        }
        finally
        {
            output?.WriteLine($"{operations} operations in {watch.Elapsed.TotalSeconds:F1} s; {fuzz.Succeeded} succeeded, {fuzz.Refused} refused as predicted.");
            foreach (var user in users)
            {
                user.Dispose();
            }
        }

        Assert.True(fuzz.Succeeded > operations / 4 && fuzz.Refused > operations / 10, $"The mix must exercise both paths: {fuzz.Succeeded} succeeded, {fuzz.Refused} refused.");
    }

    /// <summary>Each user's own view, read through its own Server: identity, statuses, data and masked keys.</summary>
    private static async Task VerifyViewsAsync(List<FuzzUser> users, string context)
    {
        var views = await Task.WhenAll(users.Select(async u => (User: u, Init: await (await u.Client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK))));
        foreach (var (user, init) in views)
        {
            AssertView(user, init, context);
        }
    }

    internal static void AssertView(FuzzUser user, JsonNode init, string context)
    {
        var where = $"{context}; view of {user}";
        Assert.True(user.UserKey == init["user"]!["id"]!.GetValue<string>(), $"{where}: user id");
        Assert.True(user.UserKey == init["session"]!["session_id"]!.GetValue<string>(), $"{where}: session id");
        Assert.True(user.Completed == init["onboarding"]!["is_completed"]!.GetValue<bool>(), $"{where}: is_completed");
        var steps = init["onboarding"]!["steps"]!.AsArray();
        for (var step = 1; step <= 6; step++)
        {
            var view = steps[step - 1]!;
            Assert.True(user.Status[step - 1] == view["status"]!.GetValue<string>(), $"{where}: step {step} status {view["status"]} but the model says {user.Status[step - 1]}");
            var expected = user.ExpectedView(step);
            var actual = view["data"];
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}: step {step} data {actual?.ToJsonString() ?? "null"} but the model says {expected?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>The raw tables: per user exactly the modelled step rows, index rows and secrets (decrypted), nothing else.</summary>
    private async Task VerifyStorageAsync(List<FuzzUser> users, string context)
    {
        using var store = TestSecrets.LocalStore(api.Azurite);
        foreach (var user in users)
        {
            var where = $"{context}; storage of {user}";
            var keys = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
            var listed = keys["api_keys"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            Assert.True(user.Keys.ToDictionary(k => k.Key, k => FuzzUser.Mask(k.Value)).OrderBy(k => k.Key).SequenceEqual(listed.OrderBy(k => k.Key)), $"{where}: listed keys");

            var rows = await PartitionDump.RowsAsync(api.Azurite, user.UserKey);
            var expectedRows = Enumerable.Range(1, 6).Where(s => user.Data[s - 1] is not null).Select(s => $"step-{s}")
                .Concat(user.Keys.Keys.Select(p => $"apikey-{p}"));
            var actualRows = rows.Select(r => r.RowKey).Where(k => k != "progress");
            Assert.True(expectedRows.Order(StringComparer.Ordinal).SequenceEqual(actualRows.Order(StringComparer.Ordinal)),
                $"{where}: rows [{string.Join(", ", actualRows)}] but the model has [{string.Join(", ", expectedRows)}]");

            var secrets = await UserState.SecretRowsAsync(api.Azurite, user.UserKey);
            Assert.True(user.Keys.Keys.Select(p => $"u-{user.UserKey}-{p}").Order(StringComparer.Ordinal).SequenceEqual(secrets.Select(s => s.RowKey).Order(StringComparer.Ordinal)),
                $"{where}: secrets [{string.Join(", ", secrets.Select(s => s.RowKey))}]");
            foreach (var (provider, key) in user.Keys)
            {
                Assert.True(key == await store.GetAsync($"u-{user.UserKey}-{provider}", CancellationToken.None), $"{where}: the {provider} secret holds another value");
            }
        }
    }
}

public sealed class IsolationFuzzTestsOnServer(OrderedApiFixture api) : IsolationFuzzTests(api), IClassFixture<OrderedApiFixture>;

public sealed class IsolationFuzzTestsOnFunctions(OrderedFunctionsApiFixture api) : IsolationFuzzTests(api), IClassFixture<OrderedFunctionsApiFixture>;
