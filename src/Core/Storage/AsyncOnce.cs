namespace Onboarding.Core.Storage;

/// <summary>
/// Runs a one-time initialization (creating a table) for many concurrent callers. They share one attempt, so during an
/// outage they fail together after one round of SDK retries instead of queueing behind each other's retries. A failed
/// attempt is forgotten: the next caller starts a new one.
/// </summary>
internal sealed class AsyncOnce(Func<CancellationToken, Task> initialize) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task? _attempt;
    private volatile bool _done;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        Task attempt;
        lock (_lock)
        {
            attempt = _attempt ??= RunAsync();
        }

        try
        {
            // One caller giving up does not cancel the attempt the others share.
            await attempt.WaitAsync(cancellationToken);
        }
        catch (Exception) when (attempt.IsFaulted || attempt.IsCanceled)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_attempt, attempt))
                {
                    _attempt = null;
                }
            }

            throw;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        await initialize(_stopping.Token);
        _done = true;
    }
}
