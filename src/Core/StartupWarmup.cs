using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Onboarding.Core;

/// <summary>
/// Work done as the host starts, in the background, so that the first request finds it done. It never delays or fails
/// the start: a failed attempt is logged at Debug and forgotten, and the first request that needs the work does it
/// itself and reports what it finds. (BackgroundService runs all of it on the thread pool, since .NET 10, and cancels
/// it when the host stops.)
/// </summary>
internal abstract partial class StartupWarmup(ILogger logger) : BackgroundService
{
    /// <summary>The work, as the log names it, e.g. "Creating the table".</summary>
    protected abstract string Work { get; }

    protected abstract Task WarmAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WarmAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogWarmupFailed(logger, Work, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Work} at start did not succeed ({Error}); the first request will try again.")]
    private static partial void LogWarmupFailed(ILogger logger, string work, string error);
}
