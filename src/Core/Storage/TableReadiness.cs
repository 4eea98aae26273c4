using Azure.Data.Tables;

namespace Onboarding.Core.Storage;

/// <summary>The readiness probe of every table the app uses: one query that proves the table answers.</summary>
internal static class TableReadiness
{
    /// <summary>
    /// Reads at most one row of a partition no row uses, so no user's data is read; a failure that outlasts the SDK's
    /// retries is a <see cref="DependencyUnavailableException"/> naming <paramref name="dependency"/>.
    /// </summary>
    public static Task ProbeAsync(TableClient table, string dependency, CancellationToken cancellationToken)
        => StorageErrors.GuardAsync(async () =>
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter: "PartitionKey eq '~health'", maxPerPage: 1, cancellationToken: cancellationToken).AsPages())
            {
                break;
            }

            return true;
        }, dependency);
}
