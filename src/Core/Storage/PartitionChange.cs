using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Storage;

/// <summary>
/// Everything one request changes in a user's partition. It is submitted as one entity-group transaction, guarded
/// by the progress row's ETag, so it lands whole or not at all.
/// </summary>
public sealed class PartitionChange
{
    public PartitionChange(ProgressState progress, string? progressETag)
    {
        Progress = progress;
        ProgressETag = progressETag;
    }

    public ProgressState Progress { get; }

    /// <summary>The ETag the progress row had when it was read; null when it did not exist yet.</summary>
    public string? ProgressETag { get; }

    public List<StepWrite> StepWrites { get; } = [];

    public List<int> StepDeletes { get; } = [];

    public List<ApiKeyEntry> ApiKeyWrites { get; } = [];

    public List<string> ApiKeyDeletes { get; } = [];

    /// <summary>When set, the key-operation lease row is rewritten under its ETag in the same transaction (see <see cref="KeyLease"/>).</summary>
    public KeyLeaseFence? Lease { get; set; }

    /// <summary>When set, the <c>migration</c> row is written too and the progress row is stamped with its hash (see <see cref="MigrationMarker"/>).</summary>
    public MigrationMarker? Migration { get; set; }
}

/// <summary>
/// A step row to write. <see cref="IfMatch"/> is the client's precondition, checked by the table itself.
/// <see cref="Json"/> is <see cref="Data"/> already serialized, when the caller has it (saves serializing it twice).
/// <see cref="UpdatedAt"/> is the row's time when it is not the change's own (a migrated step keeps its legacy time).
/// </summary>
public sealed record StepWrite(int Number, JsonObject Data, string? IfMatch = null, string? Json = null, DateTimeOffset? UpdatedAt = null);

/// <summary>A change that landed: the rows it wrote (with the ETags the transaction answered) and the row keys it deleted.</summary>
public sealed class LandedChange
{
    internal LandedChange(IReadOnlyList<TableEntity> written, IReadOnlyList<string> deleted, bool etagsKnown)
    {
        Written = written;
        Deleted = deleted;
        ETagsKnown = etagsKnown;
    }

    internal IReadOnlyList<TableEntity> Written { get; }

    internal IReadOnlyList<string> Deleted { get; }

    /// <summary>False if some written row came back without its new ETag; the state after it must then be read.</summary>
    public bool ETagsKnown { get; }
}

/// <summary>The progress row changed since it was read: re-read and re-apply.</summary>
public sealed class ConcurrentUpdateException : Exception
{
    public ConcurrentUpdateException()
        : base("The user's progress changed while the request was applied.")
    {
    }

    public ConcurrentUpdateException(string message)
        : base(message)
    {
    }

    public ConcurrentUpdateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The client's If-Match did not match the stored step: answered with 412, never retried.</summary>
public sealed class StalePreconditionException : Exception
{
    public StalePreconditionException()
        : base("The step has changed since the given ETag.")
    {
    }

    public StalePreconditionException(string message)
        : base(message)
    {
    }

    public StalePreconditionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
