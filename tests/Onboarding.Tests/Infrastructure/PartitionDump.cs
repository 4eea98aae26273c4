using System.Text;
using Azure.Data.Tables;
using Onboarding.Core.Identity;

namespace Onboarding.Tests.Infrastructure;

/// <summary>Reads a user's raw rows straight from Azurite, to prove what was (or was not) stored.</summary>
public static class PartitionDump
{
    /// <summary>Every row of the user's partition with every property and its ETag, in a stable text form.</summary>
    public static async Task<string> DumpAsync(AzuriteFixture azurite, string issuer, string subject, string table = "onboarding")
    {
        var client = azurite.Tables.GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var key = CurrentUser.DeriveUserKey(issuer, subject);
        var text = new StringBuilder();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {key}")))
        {
            text.Append(row.RowKey).Append(" etag=").Append(row.ETag).AppendLine();
            foreach (var (name, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var rendered = value is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                text.Append("  ").Append(name).Append('=').Append(rendered).AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The user's partition plus the user's rows in the local secret store (<c>devsecrets</c>, row key
    /// <c>u-{UserKey}-{provider}</c>): everything a request could have changed for that user.
    /// </summary>
    public static async Task<string> DumpWithSecretsAsync(AzuriteFixture azurite, string issuer, string subject)
    {
        var key = CurrentUser.DeriveUserKey(issuer, subject);
        var text = new StringBuilder(await DumpAsync(azurite, issuer, subject));
        foreach (var row in await SecretRowsAsync(azurite, key))
        {
            text.Append("secret ").Append(row.RowKey).Append(" etag=").Append(row.ETag).AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The local secret store's rows that belong to the user with <paramref name="userKey"/>.</summary>
    public static async Task<List<TableEntity>> SecretRowsAsync(AzuriteFixture azurite, string userKey)
    {
        var prefix = $"u-{userKey}-";
        return (await RowsAsync(azurite, "secret", "devsecrets"))
            .Where(r => r.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    public static async Task<List<TableEntity>> RowsAsync(AzuriteFixture azurite, string partitionKey, string table = "onboarding")
    {
        var client = azurite.Tables.GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")))
        {
            rows.Add(row);
        }

        return rows;
    }
}
