using System.Net;
using System.Text.Json.Nodes;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// A failure at each step of a key write or delete: afterwards there is no secret without an index row, no index row
/// without a secret, and the client got 503 ProblemDetails with a Retry-After.
/// </summary>
public abstract class KeyVaultWriteFaultTests(KeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task A_vault_that_keeps_failing_the_write_leaves_no_secret_and_no_index_row_and_answers_503()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == name && r.Operation == KeyVaultOperation.SetSecret);

        var response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });

        await ExpectUnavailableAsync(response, "Key Vault");
        Assert.Equal(3, Vault.Calls(KeyVaultOperation.SetSecret).Count(r => r.SecretName == name)); // the SDK's retries, then the 503
        Assert.Null(Vault.StateOf(name));
        await AssertNoIndexRowAsync(user, "openai");
    }

    [Fact]
    public async Task Vault_throttling_passes_the_vaults_retry_after_to_the_client()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        Vault.InjectFault(KeyVaultFault.Throttled(retryAfterSeconds: 30), r => r.SecretName == name);

        var response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });

        await ExpectUnavailableAsync(response, "Key Vault");
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter!.Delta);
        Assert.Null(Vault.StateOf(name));
        await AssertNoIndexRowAsync(user, "openai");
    }

    [Fact]
    public async Task When_the_second_key_of_step_1_fails_in_the_vault_the_first_one_is_deleted_again()
    {
        var user = Api.NewUser();
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == user.SecretName("gemini") && r.Operation == KeyVaultOperation.SetSecret);

        var response = await user.Client.PostJsonAsync("api/onboarding/step/1/complete", new
        {
            data = new JsonObject { ["api_keys"] = new JsonObject { ["openai"] = Api.NewKey("openai"), ["gemini"] = Api.NewKey("gemini") } },
        });

        await ExpectUnavailableAsync(response, "Key Vault");
        Assert.Equal([200], Vault.Calls(KeyVaultOperation.SetSecret).Where(r => r.SecretName == user.SecretName("openai")).Select(r => r.Status));
        Assert.Null(Vault.Find(user.SecretName("openai")));
        Assert.Equal("Deleted", Vault.StateOf(user.SecretName("openai")));
        Assert.Null(Vault.Find(user.SecretName("gemini")));
        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.DoesNotContain("apikey-", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("step-1", rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_reading_the_key_being_replaced_fails_nothing_changes()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        var first = Api.NewKey("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = first })).ExpectAsync(HttpStatusCode.OK);
        var rowsBefore = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == name && r.Operation == KeyVaultOperation.GetSecret);

        var response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });

        await ExpectUnavailableAsync(response, "Key Vault");
        Assert.Equal(first, Vault.Find(name)!.Value);
        Assert.Equal(1, Vault.Find(name)!.VersionCount);
        Assert.Equal(rowsBefore, await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));
    }

    [Fact]
    public async Task When_the_table_fails_after_the_vault_stored_a_new_key_the_secret_is_deleted_again()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");

        HttpResponseMessage response;
        var fault = FailTableTransactions(user);
        using (fault)
        {
            response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });
        }

        await ExpectUnavailableAsync(response, "Table Storage", TableRetryAfter);
        Assert.Equal(4, fault.Failed);
        var onName = Vault.Requests.Where(r => r.SecretName == name && r.Authenticated).ToArray();
        Assert.Equal(KeyVaultOperation.SetSecret, onName[0].Operation);
        Assert.Contains(onName, r => r.Operation == KeyVaultOperation.DeleteSecret && r.Status == 200);
        Assert.Null(Vault.Find(name));
        await AssertNoIndexRowAsync(user, "openai");
    }

    [Fact]
    public async Task When_the_table_fails_after_the_vault_replaced_a_key_the_previous_value_is_restored()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        var first = Api.NewKey("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = first })).ExpectAsync(HttpStatusCode.OK);
        var rowsBefore = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);

        HttpResponseMessage response;
        var fault = FailTableTransactions(user);
        using (fault)
        {
            response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });
        }

        await ExpectUnavailableAsync(response, "Table Storage", TableRetryAfter);
        Assert.Equal(4, fault.Failed);
        var secret = Vault.Find(name)!;
        Assert.Equal(first, secret.Value);
        Assert.Equal(3, secret.VersionCount); // first, the replacement, the restored first
        Assert.Equal(rowsBefore, await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject));
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + first[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_table_fails_completing_step_1_every_key_it_stored_is_deleted_again()
    {
        var user = Api.NewUser();

        HttpResponseMessage response;
        var fault = FailTableTransactions(user);
        using (fault)
        {
            response = await user.Client.PostJsonAsync("api/onboarding/step/1/complete", new
            {
                data = new JsonObject { ["api_keys"] = new JsonObject { ["openai"] = Api.NewKey("openai"), ["tavily"] = Api.NewKey("tavily") } },
            });
        }

        await ExpectUnavailableAsync(response, "Table Storage", TableRetryAfter);
        Assert.Equal(4, fault.Failed);
        Assert.Null(Vault.Find(user.SecretName("openai")));
        Assert.Null(Vault.Find(user.SecretName("tavily")));
        Assert.Equal(2, Vault.Calls(KeyVaultOperation.SetSecret).Count(r => r.SecretName is { } n && n.StartsWith($"u-{user.UserKey}-", StringComparison.Ordinal)));
        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.DoesNotContain("apikey-", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("step-1", rows, StringComparison.Ordinal);
        var status = await (await user.Client.GetAsync("api/onboarding/status")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, status["current_step"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_write_whose_index_transaction_landed_but_whose_answer_was_lost_keeps_its_secret()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        var key = Api.NewKey("openai");

        HttpResponseMessage response;
        var lost = LoseTableTransactionAnswers(user);
        using (lost)
        {
            response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = key });
        }

        // No answer carried a Retry-After, so the client is asked for the API's default wait.
        await ExpectUnavailableAsync(response, "Table Storage", Core.TransientErrors.DefaultRetryAfter);
        Assert.Equal(4, lost.Failed);
        Assert.Equal(key, Vault.Find(name)!.Value);
        Assert.DoesNotContain(Vault.Requests, r => r.SecretName == name && r.Operation == KeyVaultOperation.DeleteSecret);
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + key[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_vault_fails_to_delete_a_key_its_index_row_is_put_back_and_a_retry_deletes_both()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        var key = Api.NewKey("openai");
        await (await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = key })).ExpectAsync(HttpStatusCode.OK);
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == name && r.Operation == KeyVaultOperation.DeleteSecret);

        var response = await user.Client.DeleteAsync("api/onboarding/api-keys/openai");

        await ExpectUnavailableAsync(response, "Key Vault");
        Assert.Equal(key, Vault.Find(name)!.Value);
        Assert.Contains("apikey-openai", await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject), StringComparison.Ordinal);
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("****" + key[^4..], listed["api_keys"]!["openai"]!.GetValue<string>());

        Vault.ClearFaults();
        await (await user.Client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null(Vault.Find(name));
        await AssertNoIndexRowAsync(user, "openai");
    }

    [Fact]
    public async Task A_secret_left_behind_by_a_failed_undo_is_removed_by_deleting_the_key()
    {
        var user = Api.NewUser();
        var name = user.SecretName("openai");
        Vault.InjectFault(KeyVaultFault.ServiceUnavailable(), r => r.SecretName == name && r.Operation == KeyVaultOperation.DeleteSecret);
        HttpResponseMessage response;
        var fault = FailTableTransactions(user);
        using (fault)
        {
            response = await user.Client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") });
        }

        await ExpectUnavailableAsync(response, "Table Storage", TableRetryAfter);
        Assert.Equal(4, fault.Failed);
        Assert.NotNull(Vault.Find(name)); // the undo failed: for now the secret has no index row
        Assert.True(Api.LoggedError(name), "The secret left without an index row must be logged as an error.");

        Vault.ClearFaults();
        await (await user.Client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Null(Vault.Find(name));
        await AssertNoIndexRowAsync(user, "openai");
    }

    private async Task AssertNoIndexRowAsync(VaultUser user, string provider)
    {
        var rows = await PartitionDump.DumpAsync(Api.Azurite, Api.Issuer.Authority, user.Subject);
        Assert.DoesNotContain($"apikey-{provider}", rows, StringComparison.Ordinal);
        var listed = await (await user.Client.GetAsync("api/onboarding/api-keys")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(listed["api_keys"]![provider]);
    }

    private static async Task ExpectUnavailableAsync(HttpResponseMessage response, string dependency, TimeSpan? expectedRetryAfter = null)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.EndsWith("/dependency-unavailable", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith(dependency, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        if (expectedRetryAfter is { } expected)
        {
            Assert.Equal(expected, retryAfter);
        }
    }
}

[Collection(KeyVaultApiGroup.Name)]
public sealed class KeyVaultWriteFaultTestsOnServer(KeyVaultApiFixture api) : KeyVaultWriteFaultTests(api);

[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultWriteFaultTestsOnFunctions(FunctionsKeyVaultApiFixture api) : KeyVaultWriteFaultTests(api);
