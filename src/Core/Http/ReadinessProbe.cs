using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Http;

/// <summary>
/// Checks that storage and the secret store answer, at most once per <see cref="HealthOptions.ReadyCacheDuration"/>:
/// requests within the window reuse the last answer, and concurrent requests during a miss share one probe.
/// </summary>
public sealed class ReadinessProbe(OnboardingTable table, ISecretStore secrets, IOptions<HealthOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<DependencyUnavailableException?>? _probe;
    private long _answeredAt;

    /// <summary>Null when both dependencies answered; otherwise the reason the app is not ready.</summary>
    public Task<DependencyUnavailableException?> CheckAsync()
    {
        lock (_lock)
        {
            // A probe that failed unexpectedly (not an unavailable dependency) is never reused.
            var reusable = _probe is { IsCompleted: false }
                || (_probe is { IsCompletedSuccessfully: true } && time.GetElapsedTime(_answeredAt) < options.Value.ReadyCacheDuration);
            if (!reusable)
            {
                _probe = ProbeAsync();
            }

            return _probe!;
        }
    }

    private async Task<DependencyUnavailableException?> ProbeAsync()
    {
        try
        {
            // No request's token: the probe is shared, and one caller leaving must not fail it for the others.
            await table.CheckReadyAsync(CancellationToken.None);
            await secrets.CheckReadyAsync(CancellationToken.None);
            return null;
        }
        catch (DependencyUnavailableException ex)
        {
            return ex;
        }
        finally
        {
            _answeredAt = time.GetTimestamp();
        }
    }
}
