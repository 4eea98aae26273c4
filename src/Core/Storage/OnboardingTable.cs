using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Storage;

/// <summary>
/// The onboarding table: one partition per user (PartitionKey = UserKey). Reads are one partition query; writes are
/// one entity-group transaction guarded by the progress row's ETag.
/// </summary>
public sealed partial class OnboardingTable : IDisposable
{
    /// <summary>The most JSON a step row may hold, written through the API or migrated.</summary>
    public const int MaxStepDataChars = EntityMapper.MaxStepDataChars;

    private readonly TableClient _table;
    private readonly StorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OnboardingTable> _logger;
    private readonly AsyncOnce? _creation;

    public OnboardingTable(TableServiceClient service, IOptions<StorageOptions> options, TimeProvider time, ILogger<OnboardingTable> logger)
    {
        ArgumentNullException.ThrowIfNull(service);
        _options = options.Value;
        _table = service.GetTableClient(_options.TableName);
        _time = time;
        _logger = logger;
        _creation = _options.CreateTableIfNotExists ? new AsyncOnce(CreateAsync) : null;
    }

    /// <summary>Everything stored for the user, in one round trip.</summary>
    public async Task<UserSnapshot> ReadAsync(string userKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return await StorageErrors.GuardAsync(async () =>
        {
            var rows = new List<TableEntity>();
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userKey}"), cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            return EntityMapper.ToSnapshot(rows);
        });
    }

    /// <summary>
    /// Applies the change as one transaction and returns what landed: the rows written, with the ETags the transaction
    /// answered, and the rows deleted (see <see cref="StateAfterAsync"/>).
    /// Throws <see cref="ConcurrentUpdateException"/> when the progress row moved on (the caller re-reads and re-applies)
    /// and <see cref="StalePreconditionException"/> when a client If-Match no longer holds.
    /// </summary>
    public async Task<LandedChange> SubmitAsync(string userKey, PartitionChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureCreatedAsync(cancellationToken);
        var now = change.Progress.UpdatedAt ?? _time.GetUtcNow();
        var actions = new List<TableTransactionAction>();
        var written = new List<(TableEntity Entity, int ActionIndex)>();
        var deleted = new List<string>();
        var clientGuarded = new HashSet<int>();

        var progress = EntityMapper.FromProgress(userKey, change.Progress, change.Migration);
        written.Add((progress, 0));
        actions.Add(change.ProgressETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, progress)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, progress, new ETag(change.ProgressETag)));

        foreach (var write in change.StepWrites)
        {
            var entity = EntityMapper.FromStep(userKey, write.Number, write.Json ?? EntityMapper.Serialize(write.Data), write.UpdatedAt ?? now);
            written.Add((entity, actions.Count));
            if (write.IfMatch is null || write.IfMatch == "*")
            {
                actions.Add(write.IfMatch is null
                    ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, ETag.All));
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(write.IfMatch)));
            }

            if (write.IfMatch is not null)
            {
                clientGuarded.Add(actions.Count - 1);
            }
        }

        foreach (var step in change.StepDeletes)
        {
            deleted.Add(EntityMapper.StepRow(step));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(userKey, EntityMapper.StepRow(step)), ETag.All));
        }

        foreach (var key in change.ApiKeyWrites)
        {
            var entity = EntityMapper.FromApiKey(userKey, key);
            written.Add((entity, actions.Count));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
        }

        foreach (var provider in change.ApiKeyDeletes)
        {
            deleted.Add(EntityMapper.ApiKeyRow(provider));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(userKey, EntityMapper.ApiKeyRow(provider)), ETag.All));
        }

        if (change.Migration is { } migration)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, EntityMapper.FromMigration(userKey, migration)));
        }

        var leaseIndex = -1;
        if (change.Lease is { } fence)
        {
            leaseIndex = actions.Count;
            actions.Add(fence.Release && fence.Lease.Pending.Count == 0
                ? new TableTransactionAction(TableTransactionActionType.Delete, fence.Lease.ToEntity(release: true), new ETag(fence.Lease.ETag))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, fence.Lease.ToEntity(fence.Release), new ETag(fence.Lease.ETag)));
        }

        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await StorageErrors.GuardAsync(() => _table.SubmitTransactionAsync(actions, cancellationToken));
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            var failed = ex.FailedTransactionActionIndex;
            if (failed is { } lost && lost == leaseIndex)
            {
                throw new KeyLeaseLostException("The key-operation lease was taken over; the change was not committed.", ex);
            }

            if (failed is { } index && clientGuarded.Contains(index))
            {
                throw new StalePreconditionException("The step has changed since the given ETag.", ex);
            }

            if (failed is 0 or null)
            {
                throw new ConcurrentUpdateException("The user's progress changed while the request was applied.", ex);
            }

            // A delete of a row another request removed first: the state moved on, so re-read and re-apply.
            throw new ConcurrentUpdateException("The user's rows changed while the request was applied.", ex);
        }

        if (change.Lease is { } held)
        {
            held.Lease.ETag = response.Value[leaseIndex].Headers.ETag?.ToString() ?? held.Lease.ETag;
            held.Lease.Released = held.Release;
        }

        var etagsKnown = true;
        foreach (var (entity, index) in written)
        {
            if (response.Value[index].Headers.ETag is { } etag)
            {
                entity.ETag = etag;
            }
            else
            {
                etagsKnown = false;
            }
        }

        return new LandedChange(written.Select(w => w.Entity).ToList(), deleted, etagsKnown);
    }

    /// <summary>
    /// The partition right after <paramref name="landed"/>, which was planned from <paramref name="before"/>. It is built
    /// from the rows written (parsed exactly as a read parses them) instead of being read back: every change writes the
    /// progress row under its ETag, so nothing else changed the partition in between. Only if the transaction did not
    /// answer every new ETag is the partition read back.
    /// </summary>
    public async Task<UserSnapshot> StateAfterAsync(string userKey, UserSnapshot before, LandedChange landed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(landed);
        return landed.ETagsKnown
            ? EntityMapper.AfterTransaction(before, landed.Written, landed.Deleted)
            : await ReadAsync(userKey, cancellationToken);
    }

    /// <summary>Deletes every row of the user's partition. Idempotent.</summary>
    public async Task DeleteAllAsync(string userKey, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await StorageErrors.GuardAsync(async () =>
        {
            var keys = new List<string>();
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userKey}"), select: ["RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add(row.RowKey);
            }

            foreach (var chunk in keys.Chunk(100))
            {
                var actions = chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(userKey, k), ETag.All));
                try
                {
                    await _table.SubmitTransactionAsync(actions, cancellationToken);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // A row went away concurrently; delete the rest one by one.
                    foreach (var key in chunk)
                    {
                        await _table.DeleteEntityAsync(userKey, key, ETag.All, cancellationToken);
                    }
                }
            }

            return true;
        });
    }

    /// <summary>Proves the table answers, without reading any user's data.</summary>
    public async Task CheckReadyAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await TableReadiness.ProbeAsync(_table, "Table Storage", cancellationToken);
    }

    internal Task EnsureCreatedAsync(CancellationToken cancellationToken)
        => _creation is null ? Task.CompletedTask : _creation.EnsureAsync(cancellationToken);

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await StorageErrors.GuardAsync(() => _table.CreateIfNotExistsAsync(cancellationToken));
        LogTableReady(_logger, _table.Name);
    }

    public void Dispose() => _creation?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Table {TableName} is ready")]
    private static partial void LogTableReady(ILogger logger, string tableName);
}
