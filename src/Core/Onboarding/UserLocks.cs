namespace Onboarding.Core.Onboarding;

/// <summary>
/// Serializes one user's writes inside this process, so concurrent requests of the same user do not spin on ETag
/// conflicts. Correctness across instances still comes from the ETag on the progress row.
/// </summary>
public sealed class UserLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string userKey, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(userKey, out entry!))
            {
                entry = new Entry();
                _entries[userKey] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(userKey, entry, held: false);
            throw;
        }

        return new Releaser(this, userKey, entry);
    }

    private void Release(string userKey, Entry entry, bool held)
    {
        if (held)
        {
            entry.Gate.Release();
        }

        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(userKey);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Releaser(UserLocks owner, string userKey, Entry entry) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(userKey, entry, held: true);
            }
        }
    }
}
