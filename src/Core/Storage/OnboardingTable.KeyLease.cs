using Azure;
using Azure.Data.Tables;

namespace Onboarding.Core.Storage;

/// <summary>The key-operation lease row as stored: who holds it (empty when free), until when, and what is pending.</summary>
public sealed record StoredKeyLease(string Owner, DateTimeOffset ExpiresAt, IReadOnlyList<string> Pending, string ETag);

/// <summary>Point operations on the key-operation lease row, and the erasure that takes the lease row with the rest.</summary>
public sealed partial class OnboardingTable
{
    /// <summary>The lease row, or null when the user has none.</summary>
    public async Task<StoredKeyLease?> ReadKeyLeaseAsync(string userKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var row = await StorageErrors.GuardAsync(() => _table.GetEntityIfExistsAsync<TableEntity>(userKey, KeyLease.Row, cancellationToken: cancellationToken));
        return row.HasValue && row.Value is { } entity
            ? new StoredKeyLease(
                entity.GetString("Owner") ?? string.Empty,
                entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
                KeyLease.ParsePending(entity.GetString("Pending")),
                entity.ETag.ToString())
            : null;
    }

    /// <summary>
    /// Writes the lease row: added when <paramref name="etag"/> is null, else replaced under that ETag; a release with
    /// nothing pending deletes it, so a settled user has no lease row. Returns the new ETag (empty after a delete), or
    /// null when the row was written by someone else in between (it exists, or its ETag moved on).
    /// </summary>
    public async Task<string?> TryWriteKeyLeaseAsync(KeyLease lease, bool release, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await EnsureCreatedAsync(cancellationToken);
        var entity = lease.ToEntity(release);
        try
        {
            if (release && lease.Pending.Count == 0 && etag is not null)
            {
                await StorageErrors.GuardAsync(() => _table.DeleteEntityAsync(lease.UserKey, KeyLease.Row, new ETag(etag), cancellationToken));
                return string.Empty;
            }

            var response = await StorageErrors.GuardAsync(() => etag is null
                ? _table.AddEntityAsync(entity, cancellationToken)
                : _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken));
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage answered a write without an ETag.");
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the lease row as given (used to add pending providers to a row another holder owns): added when
    /// <paramref name="etag"/> is null, else replaced under it. Returns false when the row changed in between.
    /// </summary>
    public async Task<bool> TryWriteKeyLeaseRowAsync(string userKey, StoredKeyLease row, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await EnsureCreatedAsync(cancellationToken);
        var entity = new TableEntity(userKey, KeyLease.Row)
        {
            ["Owner"] = row.Owner,
            ["ExpiresAt"] = row.ExpiresAt,
            ["Pending"] = string.Join(',', row.Pending),
        };
        try
        {
            await StorageErrors.GuardAsync(() => etag is null
                ? _table.AddEntityAsync(entity, cancellationToken)
                : _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken));
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes every row of the user's partition in entity-group transactions, each row under the ETag it was read
    /// with and the lease row under the holder's ETag. A write that lands in between (it moves the progress row's ETag)
    /// makes the transaction fail whole; the partition is then read again, so no row written before the erasure is kept.
    /// </summary>
    public async Task DeleteAllFencedAsync(KeyLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await EnsureCreatedAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var rows = await StorageErrors.GuardAsync(async () =>
            {
                var found = new List<(string RowKey, ETag ETag)>();
                await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {lease.UserKey}"), select: ["RowKey"], cancellationToken: cancellationToken))
                {
                    found.Add((row.RowKey, row.RowKey == KeyLease.Row ? new ETag(lease.ETag) : row.ETag));
                }

                return found;
            });
            if (rows.Count == 0)
            {
                // An earlier attempt landed and only its answer was lost.
                lease.Released = true;
                return;
            }

            if (!rows.Any(r => r.RowKey == KeyLease.Row))
            {
                throw new KeyLeaseLostException();
            }

            // The lease row goes in the last transaction, so an erasure that stops between two keeps the lease's fence.
            var ordered = rows.OrderBy(r => r.RowKey == KeyLease.Row ? 1 : 0).ToList();
            try
            {
                foreach (var chunk in ordered.Chunk(100))
                {
                    var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(lease.UserKey, r.RowKey), r.ETag));
                    await StorageErrors.GuardAsync(() => _table.SubmitTransactionAsync(actions, cancellationToken));
                }

                lease.Released = true;
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404 && attempt < 16)
            {
                // A row changed or went away since it was read: read the partition again.
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new DependencyUnavailableException("Table Storage (contended)", TimeSpan.FromSeconds(1), ex);
            }
        }
    }
}
