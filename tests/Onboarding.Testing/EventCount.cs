namespace Onboarding.Testing;

/// <summary>
/// A count of events that a test waits on: every change completes the waits whose condition now holds, so a test waits
/// for what happened, never for time to pass.
/// </summary>
public sealed class EventCount
{
    private readonly Lock _gate = new();
    private readonly List<(Func<int, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _value;

    public int Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    /// <summary>Adds <paramref name="delta"/> (negative for something that ended) and wakes the waits it satisfies.</summary>
    public void Add(int delta = 1)
    {
        lock (_gate)
        {
            _value += delta;
            foreach (var waiter in _waiters.Where(w => w.Condition(_value)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    /// <summary>Completes once <paramref name="condition"/> holds for the count (at once if it already does).</summary>
    public Task WhenAsync(Func<int, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        lock (_gate)
        {
            if (condition(_value))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task;
        }
    }

    /// <summary>Completes once the count has reached <paramref name="count"/>.</summary>
    public Task WhenReachedAsync(int count) => WhenAsync(value => value >= count);
}
