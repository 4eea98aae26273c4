using System.Net;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>Every api-keys route and step 1, against the Key Vault store (real SecretClient, fake vault) and Azurite tables.</summary>
public abstract class KeyVaultApiKeyTests(KeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task A_saved_key_is_a_tagged_key_vault_secret_and_the_listing_shows_only_its_hint()
    {
        var user = Api.NewUser();
        var key = Api.NewKey("openai");

        var saved = await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = key })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("saved", saved["status"]!.GetValue<string>());
        var secret = Vault.Find(user.SecretName("openai"));
        Assert.NotNull(secret);
        Assert.Equal(key, secret.Value);
        Assert.Equal("text/plain", secret.ContentType);
        Assert.Equal(user.UserKey, secret.Tags["user"]);
        Assert.Equal("openai", secret.Tags["provider"]);

        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + key[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal(1, listed["total_providers"]!.GetValue<int>());
        Assert.Equal(["openai"], listed["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));

        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.Contains($"SecretName={user.SecretName("openai")}", rows, StringComparison.Ordinal);
        Assert.DoesNotContain(key[..^4], rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replacing_a_key_writes_a_new_version_of_the_same_secret_and_the_listing_shows_the_new_hint()
    {
        var user = Api.NewUser();
        var first = Api.NewKey("openai");
        var second = Api.NewKey("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = first })).ExpectAsync(HttpStatusCode.OK);

        var replaced = await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = second })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("updated", replaced["status"]!.GetValue<string>());
        var secret = Vault.Find(user.SecretName("openai"))!;
        Assert.Equal(second, secret.Value);
        Assert.Equal(2, secret.VersionCount);
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + second[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_key_soft_deletes_its_secret_and_removes_it_from_the_listing()
    {
        var user = Api.NewUser();
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "gemini", api_key = Api.NewKey("gemini") })).ExpectAsync(HttpStatusCode.OK);

        await (await user.Client.DeleteAsync("api/onboarding/api-keys/gemini")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Null(Vault.Find(user.SecretName("gemini")));
        Assert.Equal("Deleted", Vault.StateOf(user.SecretName("gemini")));
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, listed["total_providers"]!.GetValue<int>());
        Assert.DoesNotContain("apikey-", await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject), StringComparison.Ordinal);

        // Deleting again is harmless.
        await (await user.Client.DeleteAsync("api/onboarding/api-keys/gemini")).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Re_adding_a_deleted_key_recovers_the_soft_deleted_secret_then_writes_the_new_value()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);
        var again = Api.NewKey("openai");

        var readded = await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = again })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("saved", readded["status"]!.GetValue<string>());
        var onName = Vault.Requests.Where(r => r.SecretName == name && r.Authenticated).ToArray();
        Assert.Contains(onName, r => r.Operation == KeyVaultOperation.SetSecret && r.Status == 409);
        Assert.Single(onName, r => r.Operation == KeyVaultOperation.RecoverDeletedSecret && r.Status == 200);
        var write = Array.FindLastIndex(onName, r => r.Operation == KeyVaultOperation.SetSecret);
        Assert.Equal(200, onName[write].Status);

        // The recovered secret came back with its old version enabled: that version is disabled after the write.
        Assert.Equal([KeyVaultOperation.ListSecretVersions, KeyVaultOperation.UpdateSecretProperties], onName[(write + 1)..].Select(r => r.Operation));
        Assert.Equal(again, Vault.Find(name)!.Value);
        Assert.Equal([again], Vault.EnabledValues(name));
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + again[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_users_with_the_same_provider_get_separate_secrets_and_never_see_each_others_key()
    {
        var alice = Api.NewUser("alice");
        var bob = Api.NewUser("bob");
        var aliceKey = Api.NewKey("openai");
        var bobKey = Api.NewKey("openai");

        await (await alice.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = aliceKey })).ExpectAsync(HttpStatusCode.OK);
        await (await bob.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = bobKey })).ExpectAsync(HttpStatusCode.OK);

        Assert.NotEqual(alice.SecretName(), bob.SecretName());
        Assert.Equal(aliceKey, Vault.Find(alice.SecretName())!.Value);
        Assert.Equal(bobKey, Vault.Find(bob.SecretName())!.Value);
        Assert.Equal(bob.UserKey, Vault.Find(bob.SecretName())!.Tags["user"]);
        var aliceList = await (await alice.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        var bobList = await (await bob.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + aliceKey[^4..], aliceList["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("****" + bobKey[^4..], bobList["api_keys"]!["openai"]!.GetValue<string>());

        // Alice deleting (and erasing) leaves Bob's secret alone.
        await (await alice.Client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);
        await (await alice.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(bobKey, Vault.Find(bob.SecretName())!.Value);
        bobList = await (await bob.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + bobKey[^4..], bobList["api_keys"]!["openai"]!.GetValue<string>());
        Assert.DoesNotContain(Vault.Requests, r => r.SecretName == bob.SecretName() && r.Operation is not (KeyVaultOperation.SetSecret or KeyVaultOperation.ListSecretVersions));
    }

    [Fact]
    public async Task Step_1_keys_go_to_key_vault_and_the_stored_step_and_its_views_hold_only_hints()
    {
        var user = Api.NewUser();
        var openai = Api.NewKey("openai");
        var gemini = Api.NewKey("gemini");

        await (await user.Client.PutJsonAsync("api/onboarding/step/1", new { api_keys = new { gemini }, note = "draft" })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(gemini, Vault.Find(user.SecretName("gemini"))!.Value);

        var done = await (await user.Client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai, gemini = "****" + gemini[^4..] } } }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, done["step_number"]!.GetValue<int>());
        Assert.Equal(openai, Vault.Find(user.SecretName("openai"))!.Value);
        Assert.Equal(1, Vault.Find(user.SecretName("gemini"))!.VersionCount); // the echoed hint is not a new key
        var step = await (await user.Client.GetAsync("api/onboarding/step/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("completed", step["status"]!.GetValue<string>());
        Assert.Equal("****" + openai[^4..], step["data"]!["api_keys"]!["openai"]!.GetValue<string>());
        Assert.Equal("****" + gemini[^4..], step["data"]!["api_keys"]!["gemini"]!.GetValue<string>());
        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.DoesNotContain(openai[..^4], rows, StringComparison.Ordinal);
        Assert.DoesNotContain(gemini[..^4], rows, StringComparison.Ordinal);
        Assert.Contains("apikey-openai", rows, StringComparison.Ordinal);
        Assert.Contains("apikey-gemini", rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_keys_in_every_view_makes_no_key_vault_call()
    {
        var user = Api.NewUser();
        await (await user.Client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = Api.NewKey("openai") } } })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "tavily", api_key = Api.NewKey("tavily") })).ExpectAsync(HttpStatusCode.OK);
        var before = Vault.Requests.Count;

        string[] views =
        [
            "api/onboarding/api-keys", "api/onboarding/api-keys/onboarding", "api/onboarding/step/1", "api/onboarding/summary",
            "api/onboarding/init", "api/onboarding/progress", "api/onboarding/status", "api/me/export",
        ];
        foreach (var view in views)
        {
            var body = await (await user.Client.GetAsync(view)).ExpectAsync(HttpStatusCode.OK);
            Assert.True(view.EndsWith("status", StringComparison.Ordinal) || body.ToJsonString().Contains("****", StringComparison.Ordinal), $"{view} shows no key hint");
        }

        Assert.Equal(before, Vault.Requests.Count);
    }
}

[Collection(KeyVaultApiGroup.Name)]
public sealed class KeyVaultApiKeyTestsOnServer(KeyVaultApiFixture api) : KeyVaultApiKeyTests(api);

[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultApiKeyTestsOnFunctions(FunctionsKeyVaultApiFixture api) : KeyVaultApiKeyTests(api);
