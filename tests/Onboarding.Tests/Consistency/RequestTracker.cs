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
    private readonly EventCount _inFlight = new();
    private readonly EventCount _entered = new();
    private readonly EventCount _aborts = new();

    public int Aborts => _aborts.Value;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            _entered.Add();
            _inFlight.Add();
            using var registration = context.RequestAborted.Register(() => _aborts.Add());
            try
            {
                await following(context);
            }
            finally
            {
                _inFlight.Add(-1);
            }
        });
        next(app);
    };

    /// <summary>Completes when no request is in flight.</summary>
    public Task WhenIdleAsync() => _inFlight.WhenAsync(count => count == 0);

    /// <summary>Completes once the server has seen <paramref name="count"/> client aborts in all.</summary>
    public Task WhenAbortedAsync(int count) => _aborts.WhenReachedAsync(count);

    /// <summary>Completes once <paramref name="count"/> requests in all have entered the pipeline.</summary>
    public Task WhenEnteredAsync(int count) => _entered.WhenReachedAsync(count);
}
