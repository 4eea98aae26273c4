using System.Net;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>
/// The user comes only from the token: another user never sees or changes my progress, step data or keys, whatever ids
/// they put in headers, query strings or bodies; and the same <c>sub</c> at another issuer is another user.
/// </summary>
public abstract class UserIsolationTests(ApiFixture api)
{
    private const string KeyOfB = "sk-bbbbbbbbbbbbbbbbbbbbbbbbbbbbwxyz";

    [Fact]
    public async Task A_user_who_sends_another_users_ids_everywhere_still_reads_and_writes_only_their_own_data()
    {
        var (alice, aliceSub) = api.NewUser("alice");
        await Seed.StartedUserAsync(alice);
        await (await alice.PostJsonAsync("api/onboarding/step/2/complete", new { data = new { website = "https://alice-secret-site.example" } })).ExpectAsync(HttpStatusCode.OK);
        var aliceKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, aliceSub);
        var aliceBefore = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, aliceSub);

        var log = new ResponseLog();
        var bobSub = ApiFixture.NewSubject("bob");
        using var bob = log.Client(api.Host, api.Issuer.Mint(bobSub));
        foreach (var (name, value) in new[] { ("X-User-ID", aliceKey), ("X-Customer-ID", aliceKey), ("X-User-ID", aliceSub) })
        {
            bob.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        var spoof = $"user_id={aliceKey}&session_id={aliceKey}&sub={aliceSub}";

        // Reads show Bob's own, empty state.
        foreach (var path in new[] { "api/onboarding/init", "api/onboarding/status", "api/onboarding/progress", "api/onboarding/step/1", "api/onboarding/step/2", "api/onboarding/summary", "api/onboarding/api-keys", "api/onboarding/api-keys/onboarding", "api/me", "api/me/export" })
        {
            await (await bob.GetAsync($"{path}?{spoof}")).ExpectAsync(HttpStatusCode.OK);
        }

        var bobKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, bobSub);
        var init = await (await bob.GetAsync($"api/onboarding/init?{spoof}")).ExpectAsync(HttpStatusCode.OK);
        var export = await (await bob.GetAsync($"api/me/export?{spoof}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(bobKey, init["user"]!["id"]!.GetValue<string>());
        Assert.Equal(bobKey, init["session"]!["session_id"]!.GetValue<string>());
        Assert.Equal(bobKey, export["user"]!["id"]!.GetValue<string>());
        Assert.Equal(1, init["onboarding"]!["current_step"]!.GetValue<int>());

        // Writes land in Bob's partition, or are refused where the body is typed.
        await (await bob.PutJsonAsync($"api/onboarding/step/2?{spoof}", new { website = "https://bob.example", user_id = aliceKey, session_id = aliceKey })).ExpectAsync(HttpStatusCode.OK);
        await (await bob.PostJsonAsync($"api/onboarding/step/1/complete?{spoof}", new { data = new { api_keys = new { openai = KeyOfB }, user_id = aliceKey } })).ExpectAsync(HttpStatusCode.OK);
        await (await bob.PostJsonAsync($"api/onboarding/step/2/complete?{spoof}", new { data = new { website = "https://bob.example" }, user_id = aliceKey })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await bob.PostJsonAsync($"api/onboarding/api-keys?{spoof}", new { provider = "openai", api_key = KeyOfB, user_id = aliceKey })).ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
        await (await bob.PostJsonAsync($"api/onboarding/api-keys?{spoof}", new { provider = "gemini", api_key = StepData.GeminiKey })).ExpectAsync(HttpStatusCode.OK);
        await (await bob.PostAsync($"api/onboarding/start?{spoof}", null)).ExpectAsync(HttpStatusCode.OK);
        await (await bob.PostAsync($"api/onboarding/resume?{spoof}", null)).ExpectAsync(HttpStatusCode.OK);
        await (await bob.DeleteAsync($"api/onboarding/api-keys/openai?{spoof}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await bob.PostAsync($"api/onboarding/reset?hard=true&{spoof}", null)).ExpectAsync(HttpStatusCode.OK);
        var bobSummary = await (await bob.GetAsync("api/onboarding/summary")).ExpectAsync(HttpStatusCode.OK);
        await (await bob.DeleteAsync($"api/me?{spoof}")).ExpectAsync(HttpStatusCode.NoContent);

        // Bob saw only his own data, and Alice's rows and secrets are exactly as they were.
        Assert.Equal("****stuv", Assert.Single(bobSummary["api_keys"]!.AsObject()).Value!.GetValue<string>());
        Assert.True(log.Bodies.Count >= 20);
        // (Alice's user key does appear: in Bob's own step data, where Bob put it.)
        log.AssertNeverContains(aliceSub);
        log.AssertNeverContains("alice-secret-site");
        log.AssertNeverContains("****mnop");
        Assert.Equal(aliceBefore, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, aliceSub));
        var aliceStep = await (await alice.GetAsync("api/onboarding/step/2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://alice-secret-site.example", aliceStep["data"]!["website"]!.GetValue<string>());
        Assert.Empty(await PartitionDump.RowsAsync(api.Azurite, bobKey));
    }

    [Fact]
    public async Task Concurrent_users_never_see_each_others_progress_or_keys()
    {
        var users = Enumerable.Range(0, 6).Select(i => api.NewUser($"u{i}")).ToArray();

        await Task.WhenAll(users.Select(async (u, i) =>
        {
            var website = $"https://site-{i}.example";
            var key = "sk-" + new string((char)('a' + i), 28) + $"{i:D4}";
            await (await u.Client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = key } } })).ExpectAsync(HttpStatusCode.OK);
            await (await u.Client.PostJsonAsync("api/onboarding/step/2/complete", new { data = new { website } })).ExpectAsync(HttpStatusCode.OK);
        }));

        for (var i = 0; i < users.Length; i++)
        {
            var summary = await (await users[i].Client.GetAsync("api/onboarding/summary")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal($"https://site-{i}.example", summary["website_url"]!.GetValue<string>());
            Assert.Equal($"****{i:D4}", summary["api_keys"]!["openai"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_same_sub_at_another_issuer_is_another_user_with_its_own_partition()
    {
        var subject = ApiFixture.NewSubject("shared");
        await using var otherServer = await api.StartHostAsync(api.OtherIssuer);
        using var here = api.Host.WithToken(api.Issuer.Mint(subject));
        using var there = otherServer.WithToken(api.OtherIssuer.Mint(subject));

        await Seed.StartedUserAsync(here);
        var hereBefore = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);
        var hereId = (await (await here.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK))["id"]!.GetValue<string>();
        var thereMe = await (await there.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        var thereInit = await (await there.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        await (await there.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = KeyOfB } } })).ExpectAsync(HttpStatusCode.OK);
        var thereKeys = await (await there.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        var thereStep2 = await (await there.GetAsync("api/onboarding/step/2")).ExpectAsync(HttpStatusCode.OK);
        var thereRows = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.OtherIssuer.Authority, subject);
        await (await there.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        var thereId = thereMe["id"]!.GetValue<string>();
        Assert.Equal(subject, thereMe["subject"]!.GetValue<string>());
        Assert.Equal(api.OtherIssuer.Authority, thereMe["issuer"]!.GetValue<string>());
        Assert.NotEqual(hereId, thereId);
        Assert.Equal(CurrentUser.DeriveUserKey(api.OtherIssuer.Authority, subject), thereId);
        Assert.Equal("pending", thereInit["onboarding"]!["steps"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("****wxyz", Assert.Single(thereKeys["api_keys"]!.AsObject()).Value!.GetValue<string>());
        Assert.Null(thereStep2["data"]);
        Assert.Contains($"secret u-{thereId}-openai", thereRows, StringComparison.Ordinal);
        Assert.Equal(hereBefore, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));

        // Each server accepts only its own issuer's tokens.
        await (await otherServer.WithToken(api.Issuer.Mint(subject)).GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await api.Host.WithToken(api.OtherIssuer.Mint(subject)).GetAsync("api/me")).ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}

public sealed class UserIsolationTestsOnServer(ApiFixture api) : UserIsolationTests(api), IClassFixture<ApiFixture>;

public sealed class UserIsolationTestsOnFunctions(FunctionsApiFixture api) : UserIsolationTests(api), IClassFixture<FunctionsApiFixture>;
