using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Onboarding.Core.Http;

/// <summary>
/// Readiness as an ASP.NET Core health check: storage and the secret store answer. It asks <see cref="ReadinessProbe"/>,
/// so every caller within <see cref="HealthOptions.ReadyCacheDuration"/> shares one probe of the dependencies.
/// </summary>
public sealed class DependencyHealthCheck(ReadinessProbe readiness) : IHealthCheck
{
    public const string Name = "dependencies";

    /// <summary>The tag of the checks <c>health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unavailable = await readiness.CheckAsync().WaitAsync(cancellationToken);
        return unavailable is null
            ? HealthCheckResult.Healthy("Storage and the secret store answer.")
            : HealthCheckResult.Unhealthy(unavailable.Message, unavailable);
    }
}
