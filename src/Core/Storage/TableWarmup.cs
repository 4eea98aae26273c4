using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Onboarding.Core.Storage;

/// <summary>
/// Creates the table (when <see cref="StorageOptions.CreateTableIfNotExists"/> is on) as the host starts, in the
/// background, so the first request does not wait on that round trip or on jitting the storage client's pipeline. It
/// never delays or fails the start: a failed attempt is forgotten, and the first request makes its own, as before.
/// </summary>
/// <remarks>The issuer's keys are fetched at start by <see cref="Identity.IssuerKeysWarmup"/>.</remarks>
internal sealed partial class TableWarmup(OnboardingTable table, ILogger<TableWarmup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _warmup = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _warmup = Task.Run(WarmAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _warmup.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task WarmAsync()
    {
        try
        {
            await table.EnsureCreatedAsync(_stopping.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not an error: the first request that needs the table tries again and reports what it finds.
            LogWarmupFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Creating the table at start did not succeed ({Error}); the first request will try again.")]
    private static partial void LogWarmupFailed(ILogger logger, string error);
}
