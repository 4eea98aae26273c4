using System.Net;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.ApiKeys;

/// <summary>The local, encrypted secret store is for development only: Production must use Key Vault.</summary>
public sealed class SecretStoreEnvironmentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void The_local_secret_store_refuses_to_exist_in_Production()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LocalSecretStore(api.Azurite.Tables, Options(), Environment(Environments.Production)));

        Assert.Contains("Secrets:VaultUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_local_secret_store_round_trips_a_value_it_stores_only_encrypted()
    {
        using var store = new LocalSecretStore(api.Azurite.Tables, Options(), Environment(Environments.Development));
        var name = $"u-{Guid.NewGuid():N}-openai";
        var tags = new Dictionary<string, string> { ["provider"] = "openai" };

        await store.SetAsync(name, StepData.OpenAiKey, tags, CancellationToken.None);
        var read = await store.GetAsync(name, CancellationToken.None);
        var row = (await api.Azurite.Tables.GetTableClient("devsecrets").GetEntityAsync<TableEntity>("secret", name)).Value;
        await store.DeleteAsync(name, CancellationToken.None);

        Assert.Equal(StepData.OpenAiKey, read);
        Assert.Null(await store.GetAsync(name, CancellationToken.None));
        Assert.DoesNotContain(StepData.OpenAiKey, RowText(row), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_secret_store_encrypts_and_decrypts_concurrent_requests_correctly()
    {
        // One store serves every request of the process; many users save and read keys at the same moment. A shared
        // AesGcm failed here ("cipher operation failed") or wrote ciphertext that no longer decrypted.
        using var store = new LocalSecretStore(api.Azurite.Tables, Options(), Environment(Environments.Development));
        var secrets = Enumerable.Range(0, 400)
            .Select(i => (Name: $"u-{Guid.NewGuid():N}-openai", Value: $"sk-concurrent{i:D4}{Guid.NewGuid():N}"))
            .ToArray();
        var tags = new Dictionary<string, string> { ["provider"] = "openai" };

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(secrets.Select(s => Task.Run(() => store.SetAsync(s.Name, s.Value, tags, CancellationToken.None))));
            var read = await Task.WhenAll(secrets.Select(s => Task.Run(() => store.GetAsync(s.Name, CancellationToken.None))));

            Assert.Equal(secrets.Select(s => s.Value), read);
        }

        await Task.WhenAll(secrets.Select(s => store.DeleteAsync(s.Name, CancellationToken.None)));
    }

    [Fact]
    public async Task The_server_refuses_to_start_in_Production_without_a_vault()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.StartAsync(api.Azurite, api.Issuer, environment: "Production"));

        Assert.Contains("Secrets:VaultUri is required in Production", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Production_the_same_settings_start_with_the_local_store()
    {
        await using var server = await ApiServer.StartAsync(api.Azurite, api.Issuer, environment: "Staging");

        await (await server.Client().GetAsync("api/health/ready")).ExpectAsync(HttpStatusCode.OK);
    }

    private static IOptions<SecretsOptions> Options()
        => Microsoft.Extensions.Options.Options.Create(new SecretsOptions { LocalEncryptionKey = ApiServer.LocalEncryptionKey });

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    /// <summary>Every property of the row as text, binary ones decoded as UTF-8 too.</summary>
    private static string RowText(TableEntity row)
        => string.Join("\n", row.Select(p => p.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToBase64String(bytes) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
}
