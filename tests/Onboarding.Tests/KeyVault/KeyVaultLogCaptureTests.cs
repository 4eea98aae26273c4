using System.Collections;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Onboarding.Tests.Fakes;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// Raw keys never reach a log or a response. Every test of the Key Vault collection is checked after it runs (see
/// <see cref="KeyVaultApiTest"/>); this one adds the paths the others do not take, failures included, and proves the
/// capture itself sees what it should.
/// </summary>
public abstract class KeyVaultLogCaptureTests(KeyVaultApiFixture api) : KeyVaultApiTest(api)
{
    [Fact]
    public async Task No_raw_key_appears_in_any_log_entry_or_response_across_every_key_operation_and_failure()
    {
        var user = Api.NewUser();
        var client = user.Client;
        var name = user.SecretName("openai");

        // Malformed keys are refused without being echoed.
        var malformed = Api.Register($"sk-kvraw{Guid.NewGuid():N}!!");
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = malformed })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var wrongProvider = Api.Register($"kvraw-{Guid.NewGuid():N}");
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new JsonObject { ["api_keys"] = new JsonObject { ["gemini"] = wrongProvider } } }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        // The happy paths: save, replace, step 1, every view, export, delete, re-add through soft delete, erase.
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai"), description = "main" })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("api/onboarding/step/1", new { api_keys = new { exa = Api.NewKey("exa") } })).ExpectAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync("api/onboarding/step/1/complete", new { data = new { api_keys = new { gemini = Api.NewKey("gemini") } } })).ExpectAsync(HttpStatusCode.OK);
        foreach (var view in new[] { "api/onboarding/api-keys", "api/onboarding/api-keys/onboarding", "api/onboarding/step/1", "api/onboarding/summary", "api/onboarding/init", "api/onboarding/progress", "api/me/export" })
        {
            await (await client.GetAsync(view)).ExpectAsync(HttpStatusCode.OK);
        }

        await (await client.DeleteAsync("api/onboarding/api-keys/openai")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectAsync(HttpStatusCode.OK);

        // Every kind of failure on a write of a key: throttling with a long Retry-After, an outage, a refused identity,
        // an unreachable vault, a conflict that is not about soft delete, the table failing after the vault stored it.
        KeyVaultFault[] faults =
        [
            KeyVaultFault.Throttled(retryAfterSeconds: 30), KeyVaultFault.ServiceUnavailable(), KeyVaultFault.Forbidden(),
            KeyVaultFault.ConnectionFailure(), KeyVaultFault.Conflict("SomethingElse"),
        ];
        var statuses = new List<int>();
        foreach (var fault in faults)
        {
            Vault.InjectFault(fault, r => r.SecretName == name && r.Operation == KeyVaultOperation.SetSecret);
            statuses.Add((int)(await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).StatusCode);
            Vault.ClearFaults();
        }

        // Outages, refusals and a conflict that is not about soft delete are all 503s: the vault refusing for now.
        Assert.Equal([503, 503, 503, 503, 503], statuses);

        // The table failing after the vault stored the key.
        var tableFault = FailTableTransactions(user);
        using (tableFault)
        {
            await (await client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = Api.NewKey("openai") })).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        }

        Assert.Equal(4, tableFault.Failed);

        await (await client.DeleteAsync("api/me")).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Empty(Api.Leaks());
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray();
        Assert.DoesNotContain(environment, variable => Api.RawKeys.Any(key => variable.Contains(key[..^4], StringComparison.Ordinal)));
        if (Api.Kind == ApiHostKind.Functions)
        {
            // The worker's entries reach the test host as RpcLog messages, which it keeps as text from Warning up: the
            // leak check above read them, and they include the failures on this user's secret.
            Assert.Contains(name, Api.WorkerOutput, StringComparison.Ordinal);
            return;
        }

        // The capture saw the service's own entries down to Debug, and the failures with their exceptions.
        var entries = Api.Logs.Entries;
        Assert.Contains(entries, e => e.Category.EndsWith("KeyVaultSecretStore", StringComparison.Ordinal) && e.Level == LogLevel.Debug && e.Message.Contains(name, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category.EndsWith("ApiKeyService", StringComparison.Ordinal) && e.Message.Contains(name, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Exception is not null && e.Message.Contains(name, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level <= LogLevel.Debug);
    }
}

[Collection(KeyVaultApiGroup.Name)]
public sealed class KeyVaultLogCaptureTestsOnServer(KeyVaultApiFixture api) : KeyVaultLogCaptureTests(api);

[Collection(FunctionsKeyVaultApiGroup.Name)]
public sealed class KeyVaultLogCaptureTestsOnFunctions(FunctionsKeyVaultApiFixture api) : KeyVaultLogCaptureTests(api);
