using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// Counts a Server's requests in flight, so a test knows when every request (an aborted one included, whose handler
/// keeps running after the client left) has settled, and records each client abort the server observed. Events, no clocks.
/// </summary>
public sealed class RequestTracker : IStartupFilter
{
    private readonly Lock _gate = new();
    private readonly List<(Func<Counts, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _inFlight;
    private int _entered;
    private int _aborts;

    public int Aborts
    {
        get
        {
            lock (_gate)
            {
                return _aborts;
            }
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            Changed(1, entered: true);
            using var registration = context.RequestAborted.Register(() => Changed(0, aborted: true));
            try
            {
                await following(context);
            }
            finally
            {
                Changed(-1);
            }
        });
        next(app);
    };

    /// <summary>Completes when no request is in flight.</summary>
    public Task WhenIdleAsync() => When(c => c.InFlight == 0);

    /// <summary>Completes once the server has seen <paramref name="count"/> client aborts in all.</summary>
    public Task WhenAbortedAsync(int count) => When(c => c.Aborts >= count);

    /// <summary>Completes once <paramref name="count"/> requests in all have entered the pipeline.</summary>
    public Task WhenEnteredAsync(int count) => When(c => c.Entered >= count);

    private Task When(Func<Counts, bool> condition)
    {
        lock (_gate)
        {
            if (condition(new Counts(_inFlight, _entered, _aborts)))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task;
        }
    }

    private void Changed(int delta, bool entered = false, bool aborted = false)
    {
        lock (_gate)
        {
            _inFlight += delta;
            _entered += entered ? 1 : 0;
            _aborts += aborted ? 1 : 0;
            var counts = new Counts(_inFlight, _entered, _aborts);
            foreach (var waiter in _waiters.Where(w => w.Condition(counts)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    private readonly record struct Counts(int InFlight, int Entered, int Aborts);
}
