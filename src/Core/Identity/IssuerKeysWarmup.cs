using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Onboarding.Core.Identity;

/// <summary>
/// Fetches the issuer's discovery document and signing keys as the host starts, in the background, so the first
/// authenticated request neither waits on those two round trips nor jits the retrieval path. It never delays or fails
/// the start, and a failed attempt (an issuer that is not up yet) is forgotten: it starts no back-off, and the first
/// request fetches for itself, as it would without this.
/// </summary>
/// <remarks>
/// The issuer is resolved here, not injected: building it throws when <c>Auth:Authority</c> is missing, and that must
/// stay the first request's error, not the start's. An issuer with keys in hand (the Server's development issuer) has
/// nothing to fetch.
/// </remarks>
internal sealed partial class IssuerKeysWarmup(IServiceProvider services, ILogger<IssuerKeysWarmup> logger) : IHostedService, IDisposable
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
            if (services.GetRequiredService<TokenIssuer>().Keys is OutageBackoffConfigurationManager keys)
            {
                await keys.PrefetchAsync(_stopping.Token);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not an error: the first request that needs the keys fetches them and reports what it finds.
            LogWarmupFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetching the issuer's keys at start did not succeed ({Error}); the first request will try again.")]
    private static partial void LogWarmupFailed(ILogger logger, string error);
}
