using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests.Infrastructure;

/// <summary>
/// The service as users will meet it after the migration: a real Server over the shared Azurite and a loopback
/// issuer. Migrated users are checked through its API with tokens for their mapped (issuer, subject).
/// </summary>
public sealed class ServiceFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    /// <summary>The issuer string the service accepts, and so the one the user map must name.</summary>
    public string IssuerName => Issuer.Authority;

    /// <summary>Settings the CLI reads from its environment, pointing at the same storage and secret store as the Server.</summary>
    public Dictionary<string, string> CliEnvironment => new()
    {
        ["Storage__ConnectionString"] = Azurite.ConnectionString,
        ["Secrets__LocalEncryptionKey"] = ApiServer.LocalEncryptionKey,
    };

    public async ValueTask InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(Azurite, Issuer);
    }

    public static string NewSubject(string name = "legacy") => $"{name}_{Guid.NewGuid():N}";

    public string UserKey(string subject) => CurrentUser.DeriveUserKey(IssuerName, subject);

    public HttpClient ClientFor(string subject) => Server.WithToken(Issuer.Mint(subject));

    public async Task<JsonNode> GetAsync(string subject, string path)
    {
        using var client = ClientFor(subject);
        return await (await client.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>The raw key the Server's own secret store holds for the user and provider, or null.</summary>
    public Task<string?> StoredSecretAsync(string subject, string provider)
        => Server.Services.GetRequiredService<ISecretStore>().GetAsync(SecretNames.For(UserKey(subject), ProviderCatalog.Find(provider)!), CancellationToken.None);

    public Task<string> PartitionAsync(string subject) => PartitionDump.DumpAsync(Azurite, IssuerName, subject);

    /// <summary>The user's rows in the local secret store's table, with ETags: ciphertext only.</summary>
    public async Task<string> SecretRowsAsync(string subject)
    {
        var table = Azurite.Tables.GetTableClient("devsecrets");
        await table.CreateIfNotExistsAsync();
        var prefix = $"u-{UserKey(subject)}-";
        var text = new System.Text.StringBuilder();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "secret"))
        {
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                text.Append(row.RowKey).Append(" etag=").Append(row.ETag).Append(' ')
                    .Append(Convert.ToBase64String(row.GetBinary("Ciphertext"))).AppendLine();
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
