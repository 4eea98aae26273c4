using System.Net;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>DELETE /api/me with Key Vault: the user's secrets go as well as their rows, and a failure leaves nothing unlisted.</summary>
public abstract class KeyVaultEraseTests(KeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task Erasing_me_deletes_every_secret_of_mine_and_every_row_of_mine()
    {
        var user = Api.NewUser();
        await (await user.Client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { openai = Api.NewKey("openai") } } })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "anthropic", api_key = Api.NewKey("anthropic") })).ExpectAsync(HttpStatusCode.OK);

        await (await user.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Null(Vault.Find(user.SecretName("openai")));
        Assert.Null(Vault.Find(user.SecretName("anthropic")));
        Assert.Equal("Deleted", Vault.StateOf(user.SecretName("openai")));
        Assert.Empty(await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, listed["total_providers"]!.GetValue<int>());

        // Erasing again is harmless, and a key can be stored afresh afterwards (through the soft-deleted secret).
        await (await user.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        var again = Api.NewKey("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = again })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(again, Vault.Find(user.SecretName("openai"))!.Value);
    }

    [Fact]
    public async Task Erasing_me_also_deletes_a_secret_that_a_failed_undo_left_without_an_index_row_and_asks_the_vault_about_nothing_else()
    {
        var user = Api.NewUser();
        var listed = Api.NewKey("tavily");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "tavily", api_key = listed })).ExpectAsync(HttpStatusCode.OK);

        // The index commit fails and so does the undo (deleting the new secret): the secret stays without a row.
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == user.SecretName("openai") && r.Operation == KeyVaultOperation.DeleteSecret);
        var fault = FailTableTransactions(user);
        using (fault)
        {
            await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        }

        Assert.Equal(4, fault.Failed);

        Vault.ClearFaults();
        Assert.NotNull(Vault.Find(user.SecretName("openai")));
        var before = Vault.Requests.Count;

        await (await user.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Null(Vault.Find(user.SecretName("openai")));
        Assert.Null(Vault.Find(user.SecretName("tavily")));
        Assert.Empty(await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));

        // The index and the lease row's pending list name every secret the user can have: one delete each, no guessing.
        var deletes = Vault.Requests.Skip(before).Where(r => r.Authenticated && r.Operation == KeyVaultOperation.DeleteSecret).Select(r => r.SecretName);
        Assert.Equal([user.SecretName("openai"), user.SecretName("tavily")], deletes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_the_vault_fails_during_an_erasure_what_stays_is_still_listed_and_a_retry_finishes_it()
    {
        var user = Api.NewUser();
        var tavily = Api.NewKey("tavily");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "tavily", api_key = tavily })).ExpectAsync(HttpStatusCode.OK);
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(retryAfterSeconds: 3), r => r.SecretName == user.SecretName("tavily") && r.Operation == KeyVaultOperation.DeleteSecret);

        var response = await user.Client.DeleteAsync("api/me");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("Key Vault", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);

        // Every index row that is left points at a secret that is still there, and only those.
        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.Null(Vault.Find(user.SecretName("openai")));
        Assert.DoesNotContain("apikey-openai", rows, StringComparison.Ordinal);
        Assert.Equal(tavily, Vault.Find(user.SecretName("tavily"))!.Value);
        Assert.Contains("apikey-tavily", rows, StringComparison.Ordinal);
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["tavily"], listed["configured_providers"]!.AsArray().Select(p => p!.GetValue<string>()));

        Vault.ClearFaults();
        await (await user.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null(Vault.Find(user.SecretName("tavily")));
        Assert.Empty(await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));
    }

    [Fact]
    public async Task When_the_table_fails_after_the_secrets_are_gone_the_erasure_answers_503_and_a_retry_removes_the_rows()
    {
        var user = Api.NewUser();
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);

        HttpResponseMessage response;
        var fault = FailTableTransactions(user);
        using (fault)
        {
            response = await user.Client.DeleteAsync("api/me");
        }

        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.StartsWith("Table Storage", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TableRetryAfter, response.Headers.RetryAfter!.Delta);
        Assert.Equal(4, fault.Failed);
        Assert.Null(Vault.Find(user.SecretName("openai")));

        await (await user.Client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty(await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));
    }
}

[Collection(KeyVaultApiGroup.Name)]
public sealed class KeyVaultEraseTestsOnServer(KeyVaultApiFixture api) : KeyVaultEraseTests(api);

[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultEraseTestsOnFunctions(FunctionsKeyVaultApiFixture api) : KeyVaultEraseTests(api);
