using Microsoft.Extensions.Logging;
using Onboarding.Core.Storage;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// Takes and gives back the per-user key-operation lease (<see cref="KeyLease"/>). In one process
/// <see cref="Onboarding.UserLocks"/> already serializes a user's requests; the lease does the same across instances,
/// because the secret store's writes cannot join the table's ETag-guarded transactions.
/// </summary>
public sealed partial class KeyLeases(OnboardingTable table, TimeProvider time, ILogger<KeyLeases> logger)
{
    /// <summary>
    /// How long a lease is valid. A key operation's calls are bounded by the stores' own timeouts (a few seconds each);
    /// a holder that stops (a crashed instance) blocks the user's key operations for at most this long.
    /// </summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>How long a request waits for another operation's lease before it answers 503.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Takes the lease for an operation on <paramref name="providers"/>, waiting while another operation holds it. Only
    /// the waiting honours <paramref name="cancellationToken"/>: the write that takes the lease is the operation's first
    /// side effect, and it is not abandoned half-way (a write whose answer is lost is recognised by its owner id).
    /// </summary>
    public async Task<KeyLease> AcquireAsync(string userKey, IEnumerable<string> providers, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var mine = providers.ToArray();
        var waited = TimeSpan.Zero;
        var delay = TimeSpan.FromMilliseconds(10);
        var logged = false;
        // A settled user has no lease row, so the first try adds one without reading.
        var first = new KeyLease(userKey, owner, string.Empty, time.GetUtcNow() + Duration, [], mine);
        if (await table.TryWriteKeyLeaseAsync(first, release: false, etag: null, CancellationToken.None) is { } added)
        {
            first.ETag = added;
            return first;
        }

        while (true)
        {
            var stored = await table.ReadKeyLeaseAsync(userKey, CancellationToken.None);
            var now = time.GetUtcNow();
            if (stored is null || stored.Owner.Length == 0 || stored.Owner == owner || stored.ExpiresAt <= now)
            {
                IReadOnlyList<string> stale = stored is null ? [] : stored.Owner == owner ? stored.Pending.Except(mine).ToArray() : stored.Pending;
                if (stored is not null && stored.Owner.Length > 0 && stored.Owner != owner)
                {
                    LogTakenOver(logger, userKey, stored.ExpiresAt);
                }

                var lease = new KeyLease(userKey, owner, string.Empty, now + Duration, stale, stale.Concat(mine));
                if (await table.TryWriteKeyLeaseAsync(lease, release: false, stored?.ETag, CancellationToken.None) is { } etag)
                {
                    lease.ETag = etag;
                    return lease;
                }

                continue;
            }

            if (waited >= MaxWait)
            {
                LogBusy(logger, userKey, waited);
                throw new DependencyUnavailableException("Another key operation of this user", RetryAfter);
            }

            if (!logged)
            {
                LogWaiting(logger, userKey);
                logged = true;
            }

            await Task.Delay(delay, time, cancellationToken);
            waited += delay;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }

    /// <summary>
    /// Gives the lease back, recording <see cref="KeyLease.Pending"/> as what the next holder must reconcile. Never
    /// throws: a lease that cannot be released runs out after <see cref="Duration"/>, and its pending list stays. When
    /// the row is no longer this holder's (an earlier write's answer was lost, or the lease ran out and was taken), the
    /// pending providers are still added to whatever row is there, so nothing left unreconciled is forgotten.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A release must not hide the outcome being reported.")]
    public async Task ReleaseAsync(KeyLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (lease.Released)
        {
            return;
        }

        try
        {
            if (await table.TryWriteKeyLeaseAsync(lease, release: true, lease.ETag, CancellationToken.None) is { } etag)
            {
                lease.ETag = etag;
                lease.Released = true;
            }
            else
            {
                await HandOverPendingAsync(lease);
            }

            if (lease.Pending.Count > 0)
            {
                LogLeftPending(logger, lease.UserKey, string.Join(", ", lease.Pending));
            }
        }
        catch (Exception ex)
        {
            LogNotReleased(logger, ex, lease.UserKey, string.Join(", ", lease.Pending));
        }
    }

    /// <summary>The row is not as this holder last wrote it: release it if it is still ours, else add the pending providers to it.</summary>
    private async Task HandOverPendingAsync(KeyLease lease)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var stored = await table.ReadKeyLeaseAsync(lease.UserKey, CancellationToken.None);
            if (stored is null && lease.Pending.Count == 0)
            {
                lease.Released = true;
                return;
            }

            if (stored is not null && stored.Owner == lease.Owner)
            {
                lease.ETag = stored.ETag;
                if (await table.TryWriteKeyLeaseAsync(lease, release: true, stored.ETag, CancellationToken.None) is { } etag)
                {
                    lease.ETag = etag;
                    lease.Released = true;
                    return;
                }

                continue;
            }

            if (stored is not null && lease.Pending.All(stored.Pending.Contains))
            {
                lease.Released = true;
                return;
            }

            var merged = new StoredKeyLease(
                stored?.Owner ?? string.Empty,
                stored?.ExpiresAt ?? time.GetUtcNow(),
                (stored?.Pending ?? []).Union(lease.Pending, StringComparer.Ordinal).ToArray(),
                string.Empty);
            if (await table.TryWriteKeyLeaseRowAsync(lease.UserKey, merged, stored?.ETag, CancellationToken.None))
            {
                lease.Released = true;
                return;
            }
        }

        LogLost(logger, lease.UserKey);
    }

    /// <summary>
    /// After a write of the lease row whose answer was lost, takes the row's current ETag if the row is still this
    /// holder's. False when it is not (or cannot be read).
    /// </summary>
    public async Task<bool> RefreshAsync(KeyLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            var stored = await table.ReadKeyLeaseAsync(lease.UserKey, CancellationToken.None);
            if (stored is null || stored.Owner != lease.Owner)
            {
                return false;
            }

            lease.ETag = stored.ETag;
            return true;
        }
        catch (DependencyUnavailableException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for the key-operation lease of user {UserKey}, held by another request")]
    private static partial void LogWaiting(ILogger logger, string userKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key-operation lease of user {UserKey} stayed held for {Waited}; answering 503")]
    private static partial void LogBusy(ILogger logger, string userKey, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over the key-operation lease of user {UserKey}, which ran out at {ExpiresAt} without being released")]
    private static partial void LogTakenOver(ILogger logger, string userKey, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand over the pending providers of the key-operation lease of user {UserKey}: its row kept changing")]
    private static partial void LogLost(ILogger logger, string userKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the key-operation lease of user {UserKey} with providers {Providers} left to reconcile")]
    private static partial void LogLeftPending(ILogger logger, string userKey, string providers);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not release the key-operation lease of user {UserKey}; it runs out on its own, and the next key operation reconciles {Providers}")]
    private static partial void LogNotReleased(ILogger logger, Exception exception, string userKey, string providers);
}
