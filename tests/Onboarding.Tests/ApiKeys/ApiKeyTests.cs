using System.Net;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

/// <summary>
/// Provider keys go to the secret store; clients only ever see a masked hint, the table only an index row, and the
/// secret store only ciphertext.
/// </summary>
public abstract class ApiKeyTests(ApiFixture api)
{
    private const string AnthropicKey = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123";
    private const string CopilotKitKey = "ck_pub_0123456789abcdefghijWXYZ";

    public static TheoryData<string, string> ValidKeys => new()
    {
        { "openai", StepData.OpenAiKey },
        { "anthropic", AnthropicKey },
        { "gemini", StepData.GeminiKey },
        { "exa", StepData.ExaKey },
        { "copilotkit", CopilotKitKey },
    };

    public static TheoryData<string, string> MalformedKeys => new()
    {
        { "openai", "pk-test0123456789abcdefghijklmnop" },
        { "openai", AnthropicKey },
        { "openai", "sk-short" },
        { "anthropic", StepData.OpenAiKey },
        { "gemini", "AIzaSyA0123456789abcdefghijklmnopqrst" },
        { "gemini", "BIzaSyA0123456789abcdefghijklmnopqrstuv" },
        { "exa", "3f2504e0-4f89-11d3-9a0c-0305e82c330" },
        { "exa", "not-a-uuid-at-all-0000" },
        { "copilotkit", "ck_priv_0123456789abcdefghij" },
        { "copilotkit", "0123456789abcdefghijklmn" },
    };

    [Fact]
    public async Task Keys_saved_through_step_1_and_the_api_keys_route_are_only_ever_shown_masked_and_stored_only_encrypted()
    {
        var log = new ResponseLog();
        var subject = ApiFixture.NewSubject();
        using var client = log.Client(api.Host, api.Issuer.Mint(subject));
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);

        var completed = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = StepData.OpenAiKey }, model = "gpt" } })).ExpectAsync(HttpStatusCode.OK);
        var saved = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = StepData.GeminiKey, description = "prod" })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/1", new { api_keys = new { exa = StepData.ExaKey } })).ExpectAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        var prefill = await (await client.GetAsync("api/onboarding/api-keys/onboarding")).ExpectAsync(HttpStatusCode.OK);
        var step1 = await (await client.GetAsync("api/onboarding/step/1")).ExpectAsync(HttpStatusCode.OK);
        var summary = await (await client.GetAsync("api/onboarding/summary")).ExpectAsync(HttpStatusCode.OK);
        var export = await (await client.GetAsync("api/me/export")).ExpectAsync(HttpStatusCode.OK);
        foreach (var path in new[] { "api/onboarding/init", "api/onboarding/progress", "api/onboarding/status", "api/onboarding/resume" })
        {
            var response = path.EndsWith("resume", StringComparison.Ordinal) ? await client.PostAsync(path, null) : await client.GetAsync(path);
            await response.ExpectAsync(HttpStatusCode.OK);
        }

        Assert.Equal("****mnop", completed["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("gpt", completed["data"]!["model"]!.GetValue<string>());
        Assert.Equal("saved", saved["status"]!.GetValue<string>());
        var masked = new Dictionary<string, string> { ["exa"] = "****3301", ["gemini"] = "****stuv", ["openai"] = "****mnop" };
        Assert.Equal(masked, list["api_keys"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        Assert.Equal(3, list["total_providers"]!.GetValue<int>());
        Assert.Equal(["exa", "gemini", "openai"], list["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(list.ToJsonString(), prefill.ToJsonString());
        Assert.Equal(masked, step1["data"]!["api_keys"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        Assert.Equal(masked, summary["api_keys"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        Assert.Equal("prod", export["api_keys"]!.AsArray().Single(k => k!["provider"]!.GetValue<string>() == "gemini")!["description"]!.GetValue<string>());

        Assert.Equal(12, log.Bodies.Count);
        foreach (var key in new[] { StepData.OpenAiKey, StepData.GeminiKey, StepData.ExaKey })
        {
            log.AssertNeverContains(key);
            log.AssertNeverContains(key[..^4]);
            await AssertStoredOnlyEncryptedAsync(userKey, key);
        }

        var rows = await PartitionDump.RowsAsync(api.Azurite, userKey);
        Assert.Equal(["apikey-exa", "apikey-gemini", "apikey-openai", "progress", "step-1"], rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal($"u-{userKey}-openai", rows.Single(r => r.RowKey == "apikey-openai").GetString("SecretName"));
        Assert.Equal(3, (await PartitionDump.SecretRowsAsync(api.Azurite, userKey)).Count);
        Assert.Equal(StepData.GeminiKey, await SecretAsync(userKey, "gemini"));
    }

    [Fact]
    public async Task A_masked_hint_sent_back_in_step_1_keeps_the_stored_key()
    {
        var (client, subject) = api.NewUser();
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);
        var secretBefore = Assert.Single(await PartitionDump.SecretRowsAsync(api.Azurite, userKey)).ETag;

        var shown = await (await client.GetAsync("api/onboarding/step/1")).ExpectAsync(HttpStatusCode.OK);
        var again = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = shown["data"] })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("****mnop", again["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal(secretBefore, Assert.Single(await PartitionDump.SecretRowsAsync(api.Azurite, userKey)).ETag);
        Assert.Equal(StepData.OpenAiKey, await SecretAsync(userKey, "openai"));
    }

    [Fact]
    public async Task Saving_a_key_again_replaces_the_secret_and_reports_an_update()
    {
        var (client, subject) = api.NewUser();
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        const string replacement = "sk-replacement0123456789abcdefWXYZ";

        var first = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey })).ExpectAsync(HttpStatusCode.OK);
        var second = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = replacement })).ExpectAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("saved", first["status"]!.GetValue<string>());
        Assert.Equal("updated", second["status"]!.GetValue<string>());
        Assert.Equal("****WXYZ", second["hint"]!.GetValue<string>());
        Assert.Equal("****WXYZ", list["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal(replacement, await SecretAsync(userKey, "openai"));
    }

    [Fact]
    public async Task Deleting_a_key_removes_its_index_row_and_its_secret()
    {
        var (client, subject) = api.NewUser();
        var userKey = CurrentUser.DeriveUserKey(api.Issuer.Authority, subject);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = StepData.OpenAiKey })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "exa", api_key = StepData.ExaKey })).ExpectAsync(HttpStatusCode.OK);

        await (await client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);

        var list = await (await client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["exa"], list["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.DoesNotContain(await PartitionDump.RowsAsync(api.Azurite, userKey), r => r.RowKey == "apikey-openai");
        Assert.Equal([$"u-{userKey}-exa"], (await PartitionDump.SecretRowsAsync(api.Azurite, userKey)).Select(r => r.RowKey));
        Assert.Null(await SecretAsync(userKey, "openai"));
    }

    [Theory]
    [MemberData(nameof(ValidKeys))]
    public async Task A_well_formed_key_of_each_provider_is_accepted(string provider, string key)
    {
        var (client, _) = api.NewUser();

        var saved = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider, api_key = key })).ExpectAsync(HttpStatusCode.OK);
        var step = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new Dictionary<string, string> { [provider] = key } } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("****" + key[^4..], saved["hint"]!.GetValue<string>());
        Assert.Equal("****" + key[^4..], step["data"]!["api_keys"]![provider]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_key_is_400_naming_the_field_and_stores_nothing(string provider, string key)
    {
        var (client, subject) = api.NewUser();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        var viaRoute = await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider, api_key = key })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        var viaStep = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new Dictionary<string, string> { [provider] = key } } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        var viaDraft = await (await client.PutJsonAsync("api/onboarding/step/1", new { api_keys = new Dictionary<string, string> { [provider] = key } })).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");

        Assert.Equal(["api_key"], viaRoute.ErrorFields());
        Assert.Equal([$"api_keys.{provider}"], viaStep.ErrorFields());
        Assert.Equal([$"api_keys.{provider}"], viaDraft.ErrorFields());
        foreach (var problem in new[] { viaRoute, viaStep, viaDraft })
        {
            Assert.DoesNotContain(key, problem.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Fact]
    public async Task Step_1_completes_without_a_key_by_default_the_strict_profile_needs_one()
    {
        // The default serves the current frontend, whose step 1 holds no keys; StepOrderTests covers the strict profile.
        var (client, _) = api.NewUser();

        var done = await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { } } })).ExpectAsync(HttpStatusCode.OK);

        Assert.Empty(done["data"]!["api_keys"]!.AsObject());
    }

    [Fact]
    public async Task Configured_required_providers_must_all_have_keys_before_step_1_completes()
    {
        await using var server = await api.StartHostAsync(api.Issuer, new Dictionary<string, string?>
        {
            ["Secrets:RequiredProviders:0"] = "openai",
            ["Secrets:RequiredProviders:1"] = "exa",
        });
        using var client = server.WithToken(api.Issuer.Mint(ApiFixture.NewSubject()));

        var config = await (await client.GetAsync("api/onboarding/config")).ExpectAsync(HttpStatusCode.OK);
        var missing = await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "exa", api_key = StepData.ExaKey })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", StepData.Step1)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(["openai", "exa"], config["required_providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["api_keys.exa"], missing.ErrorFields());
    }

    /// <summary>Neither the index rows nor the secret rows hold the key, as text or as bytes.</summary>
    private async Task AssertStoredOnlyEncryptedAsync(string userKey, string key)
    {
        var rows = (await PartitionDump.RowsAsync(api.Azurite, userKey)).Concat(await PartitionDump.SecretRowsAsync(api.Azurite, userKey));
        foreach (var row in rows)
        {
            foreach (var (name, value) in row)
            {
                var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) + Convert.ToBase64String(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                Assert.False(text.Contains(key, StringComparison.Ordinal) || text.Contains(key[..^4], StringComparison.Ordinal), $"Row {row.RowKey}, property {name} holds the key.");
            }
        }
    }

    /// <summary>The stored secret's value, decrypted by a local store with the Server's key.</summary>
    private async Task<string?> SecretAsync(string userKey, string provider)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new SecretsOptions { LocalEncryptionKey = ApiServer.LocalEncryptionKey });
        using var store = new LocalSecretStore(api.Azurite.Tables, options, new HostingEnvironment { EnvironmentName = Environments.Development });
        return await store.GetAsync($"u-{userKey}-{provider}", CancellationToken.None);
    }
}

public sealed class ApiKeyTestsOnServer(ApiFixture api) : ApiKeyTests(api), IClassFixture<ApiFixture>;

public sealed class ApiKeyTestsOnFunctions(FunctionsApiFixture api) : ApiKeyTests(api), IClassFixture<FunctionsApiFixture>;
