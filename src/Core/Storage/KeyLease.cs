using Azure.Data.Tables;

namespace Onboarding.Core.Storage;

/// <summary>
/// The per-user key-operation lease, held in the user's own partition (row <c>keylease</c>) and taken with its ETag.
/// Writes of provider keys happen outside the table's transactions (in the secret store), so two instances must not
/// interleave them: whoever holds the lease is the only one writing or deleting the user's secrets, and every index
/// commit it makes carries the lease row under its ETag, so a holder whose lease ran out cannot commit.
/// <see cref="Pending"/> names the providers whose secrets may not match the index if the holder stops now; it stays
/// in the row after a failed compensation or a crash, and the next holder reconciles those providers first.
/// </summary>
public sealed class KeyLease
{
    internal const string Row = "keylease";

    internal KeyLease(string userKey, string owner, string etag, DateTimeOffset expiresAt, IReadOnlyCollection<string> stalePending, IEnumerable<string> pending)
    {
        UserKey = userKey;
        Owner = owner;
        ETag = etag;
        ExpiresAt = expiresAt;
        StalePending = stalePending;
        Pending = new SortedSet<string>(pending, StringComparer.Ordinal);
    }

    public string UserKey { get; }

    /// <summary>Unique to one operation, so a holder recognises its own row after a lost answer.</summary>
    public string Owner { get; }

    /// <summary>The lease row's ETag as this holder last wrote it.</summary>
    public string ETag { get; internal set; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Providers an earlier operation left unreconciled (its compensation failed, or it stopped).</summary>
    public IReadOnlyCollection<string> StalePending { get; }

    /// <summary>What the row says is pending when this holder next writes it.</summary>
    public SortedSet<string> Pending { get; }

    /// <summary>True once a write of the row released it (a fenced commit with <see cref="KeyLeaseFence.Release"/>, or a release).</summary>
    public bool Released { get; internal set; }

    internal TableEntity ToEntity(bool release) => new(UserKey, Row)
    {
        ["Owner"] = release ? string.Empty : Owner,
        ["ExpiresAt"] = ExpiresAt,
        ["Pending"] = string.Join(',', Pending),
    };

    internal static IReadOnlyList<string> ParsePending(string? pending)
        => string.IsNullOrEmpty(pending) ? [] : pending.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The lease row as part of an index commit: rewritten under its ETag in the same entity-group transaction, so the
/// commit lands only while the lease is still this holder's. With <see cref="Release"/> the commit also releases it.
/// </summary>
public sealed record KeyLeaseFence(KeyLease Lease, bool Release);

/// <summary>The lease row changed under its holder (it ran out and another operation took it): nothing was committed.</summary>
public sealed class KeyLeaseLostException : Exception
{
    public KeyLeaseLostException()
        : base("The key-operation lease was taken over by another operation.")
    {
    }

    public KeyLeaseLostException(string message)
        : base(message)
    {
    }

    public KeyLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
