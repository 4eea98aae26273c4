using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Core.Identity;
using Onboarding.Tests.Faults;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Privacy;

/// <summary>
/// The privacy routes: <c>GET /api/me/export</c> hands a user everything stored about them (keys only as masked hints),
/// and <c>DELETE /api/me</c> erases every row and secret of that user and nothing of anyone else's, idempotently.
/// </summary>
public abstract class PrivacyTests(ApiFixture api)
{
    private const string GeminiKey = "AIzaSyA0123456789abcdefghijklmnopqrstuv";

    [Fact]
    public async Task Export_is_a_json_attachment_of_everything_stored_with_keys_masked()
    {
        var (client, subject) = api.NewUser("export");
        await FillAsync(client, "export-canary");

        using var response = await client.GetAsync("api/me/export");
        var export = await response.ExpectAsync(HttpStatusCode.OK);
        var text = export.ToJsonString();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.NotNull(disposition);
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.EndsWith(".json", disposition.FileName?.Trim('"'), StringComparison.Ordinal);

        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        Assert.Equal(userKey, export["user"]!["id"]!.GetValue<string>());
        Assert.Equal(subject, export["user"]!["subject"]!.GetValue<string>());
        Assert.Equal(api.Issuer.Authority, export["user"]!["issuer"]!.GetValue<string>());

        // Every stored row shows up: each step row's data, each key's index row (hint and description), the progress.
        var rows = await PartitionDump.RowsAsync(api.Azurite, userKey);
        var steps = export["onboarding"]!["steps"]!.AsArray();
        foreach (var row in rows.Where(r => r.RowKey.StartsWith("step-", StringComparison.Ordinal)))
        {
            var number = int.Parse(row.RowKey["step-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var stored = JsonNode.Parse(string.Concat(Enumerable.Range(0, row.GetInt32("DataParts")!.Value).Select(i => row.GetString($"Data{i}"))))!.AsObject();
            var exported = steps[number - 1]!["data"]!.AsObject().DeepClone().AsObject();
            exported.Remove("api_keys");
            Assert.True(JsonNode.DeepEquals(stored, exported), $"Step {number}: stored {stored.ToJsonString()} but exported {exported.ToJsonString()}");
        }

        var keys = export["api_keys"]!.AsArray();
        var indexRows = rows.Where(r => r.RowKey.StartsWith("apikey-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, indexRows.Count);
        Assert.Equal(indexRows.Count, keys.Count);
        foreach (var row in indexRows)
        {
            var key = keys.Single(k => k!["provider"]!.GetValue<string>() == row.GetString("Provider"))!;
            Assert.Equal(row.GetString("Hint"), key["hint"]!.GetValue<string>());
            Assert.StartsWith("****", key["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal("for drafts export-canary", keys.Single(k => k!["provider"]!.GetValue<string>() == "gemini")!["description"]!.GetValue<string>());
        Assert.Equal(["completed", "completed", "completed", "completed", "pending", "pending"], steps.Select(s => s!["status"]!.GetValue<string>()));
        Assert.NotNull(export["onboarding"]!["started_at"]);
        Assert.NotNull(export["exported_at"]);

        // Raw keys never leave the service, not even to their owner.
        Assert.DoesNotContain(StepData.OpenAiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(GeminiKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_holds_only_the_callers_data()
    {
        var (alice, _) = api.NewUser("alice");
        var (bob, _) = api.NewUser("bob");
        await FillAsync(alice, "alice-canary");
        await FillAsync(bob, "bob-canary");

        var export = (await (await bob.GetAsync("api/me/export")).ExpectAsync(HttpStatusCode.OK)).ToJsonString();

        Assert.Contains("bob-canary", export, StringComparison.Ordinal);
        Assert.DoesNotContain("alice-canary", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_removes_every_row_and_secret_of_the_user_and_nothing_of_others()
    {
        var (alice, aliceSubject) = api.NewUser("alice");
        var (bob, bobSubject) = api.NewUser("bob");
        await FillAsync(alice, "alice-canary");
        await FillAsync(bob, "bob-canary");
        var aliceKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, aliceSubject);
        var bobBefore = await UserState.CaptureAsync(api.Azurite, api.Host, api.Issuer.Authority, bobSubject);
        Assert.NotEmpty(await PartitionDump.RowsAsync(api.Azurite, aliceKey));
        Assert.Equal(2, (await UserState.SecretRowsAsync(api.Azurite, aliceKey)).Count);

        await (await alice.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(await PartitionDump.RowsAsync(api.Azurite, aliceKey));
        Assert.Empty(await UserState.SecretRowsAsync(api.Azurite, aliceKey));
        Assert.Equal(bobBefore, await UserState.CaptureAsync(api.Azurite, api.Host, api.Issuer.Authority, bobSubject));

        // Alice can start over as a new user; reading does not bring anything back.
        var init = await (await alice.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, init["onboarding"]!["completion_percentage"]!.GetValue<int>());
        Assert.Empty(await PartitionDump.RowsAsync(api.Azurite, aliceKey));
    }

    [Fact]
    public async Task Erase_is_idempotent()
    {
        var (client, subject) = api.NewUser("erase");
        await FillAsync(client, "erase-canary");
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);

        await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(await PartitionDump.RowsAsync(api.Azurite, userKey));
        Assert.Empty(await UserState.SecretRowsAsync(api.Azurite, userKey));
    }

    [Fact]
    public async Task Erase_of_a_user_with_nothing_stored_succeeds()
    {
        var (client, _) = api.NewUser("nobody");
        await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
    }

    /// <summary>Steps 1–4 completed with a distinctive marker, a second key with a description, a draft of step 5.</summary>
    private static async Task FillAsync(HttpClient client, string canary)
    {
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = StepData.OpenAiKey }, note = canary } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = GeminiKey, description = "for drafts " + canary })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/2/complete", new { data = new { website = $"https://{canary}.example", analysis = new { tone = canary } } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/3/complete", new { data = new { researchSummary = canary } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/4/complete", new { data = new { corePersona = new { identity = canary }, platformPersonas = new { x = new { tone = canary } } } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/5", new { integrations = new { wordpress = canary } })).ExpectAsync(HttpStatusCode.OK);
    }
}

public sealed class PrivacyTestsOnServer(ApiFixture api) : PrivacyTests(api), IClassFixture<ApiFixture>;

public sealed class PrivacyTestsOnFunctions(FunctionsApiFixture api) : PrivacyTests(api), IClassFixture<FunctionsApiFixture>;
