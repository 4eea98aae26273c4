using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Faults;

/// <summary>
/// Everything stored for one user, read raw from Azurite: the onboarding partition and the user's rows of the local
/// secret store (decrypted through the Server's own store), after checking that index rows and secrets pair up.
/// </summary>
public static class UserState
{
    public const string SecretsTable = "devsecrets";

    /// <summary>
    /// A stable text form of the user's state. <paramref name="exact"/> keeps ETags and every timestamp (nothing at all
    /// was written); without it the progress row's UpdatedAt and all ETags are left out (rows were rewritten with the
    /// same content).
    /// </summary>
    public static async Task<string> CaptureAsync(AzuriteFixture azurite, IApiHost server, string issuer, string subject, bool exact = true)
    {
        var userKey = CurrentUser.DeriveUserKey(issuer, subject);
        var rows = (await PartitionDump.RowsAsync(azurite, userKey)).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        var secrets = await SecretRowsAsync(azurite, userKey);

        var indexed = rows.Where(r => r.RowKey.StartsWith("apikey-", StringComparison.Ordinal)).Select(r => r.GetString("SecretName")).Order(StringComparer.Ordinal).ToArray();
        Assert.True(indexed.SequenceEqual(secrets.Select(s => s.RowKey).Order(StringComparer.Ordinal)),
            $"Index rows [{string.Join(", ", indexed)}] and secrets [{string.Join(", ", secrets.Select(s => s.RowKey))}] must pair up: no orphan secret, no index row without a secret.");

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(row.RowKey);
            if (exact)
            {
                text.Append(" etag=").Append(row.ETag);
            }

            text.AppendLine();
            foreach (var (name, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (name is "odata.etag" || (!exact && (name is "Timestamp" || (row.RowKey == "progress" && name == "UpdatedAt"))))
                {
                    continue;
                }

                text.Append("  ").Append(name).Append('=').Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).AppendLine();
            }
        }

        // The Server's own store (it may be Key Vault); the worker's is the local store, read with the same key.
        using var local = server is ApiServer ? null : TestSecrets.LocalStore(azurite);
        var store = server is ApiServer inProcess ? inProcess.Services.GetRequiredService<ISecretStore>() : local!;
        foreach (var secret in secrets)
        {
            text.Append("secret ").Append(secret.RowKey).Append(" = ").Append(await store.GetAsync(secret.RowKey, CancellationToken.None)).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The user's rows in the local secret store's table (names are <c>u-{userKey}-{provider}</c>).</summary>
    public static async Task<List<TableEntity>> SecretRowsAsync(AzuriteFixture azurite, string userKey)
    {
        var table = azurite.Tables.GetTableClient(SecretsTable);
        await table.CreateIfNotExistsAsync();
        var prefix = $"u-{userKey}-";
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {prefix[..^1] + "."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        return rows;
    }
}
