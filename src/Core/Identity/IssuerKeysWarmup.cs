using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Onboarding.Core.Identity;

/// <summary>
/// Fetches the issuer's discovery document and signing keys as the host starts, in the background
/// (<see cref="StartupWarmup"/>), so the first authenticated request neither waits on those two round trips nor jits
/// the retrieval path. A failed attempt (an issuer that is not up yet) starts no back-off: the first request fetches
/// for itself, as it would without this.
/// </summary>
/// <remarks>
/// The issuer is resolved here, not injected: building it throws when <c>Auth:Authority</c> is missing, and that must
/// stay the first request's error, not the start's. An issuer with keys in hand (the Server's development issuer) has
/// nothing to fetch.
/// </remarks>
internal sealed class IssuerKeysWarmup(IServiceProvider services, ILogger<IssuerKeysWarmup> logger) : StartupWarmup(logger)
{
    protected override string Work => "Fetching the issuer's keys";

    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        if (services.GetRequiredService<TokenIssuer>().Keys is OutageBackoffConfigurationManager keys)
        {
            await keys.PrefetchAsync(stoppingToken);
        }
    }
}
