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
