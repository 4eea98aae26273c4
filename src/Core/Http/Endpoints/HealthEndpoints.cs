using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Onboarding.Core.Http;

public sealed record HealthView(string Status, IReadOnlyDictionary<string, string>? Checks = null);

/// <summary>
/// Anonymous liveness and readiness. Readiness runs the health checks tagged <see cref="DependencyHealthCheck.ReadyTag"/>
/// (storage and the secret store answer, reading no user data; the answer is reused briefly, so probes cannot throttle
/// the vault).
/// </summary>
public sealed class HealthEndpoints(HealthCheckService healthChecks)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Handlers are instance members so both hosts resolve every handler from DI the same way.")]
    public Ok<HealthView> Live() => TypedResults.Ok(new HealthView("healthy"));

    public async Task<Results<Ok<HealthView>, Problems.WithHeaders>> Ready(CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(c => c.Tags.Contains(DependencyHealthCheck.ReadyTag), cancellationToken);
        if (report.Status == HealthStatus.Healthy)
        {
            return TypedResults.Ok(new HealthView("ready", new Dictionary<string, string> { ["storage"] = "ok", ["secrets"] = "ok" }));
        }

        var failure = report.Entries.Values.First(e => e.Status != HealthStatus.Healthy).Exception;
        if (failure is DependencyUnavailableException unavailable)
        {
            return Problems.Unavailable(unavailable);
        }

        // Not an outage of a dependency but a fault: surface it as the probe did before it was a health check.
        ExceptionDispatchInfo.Throw(failure ?? new InvalidOperationException("A readiness check failed without an exception."));
        throw new System.Diagnostics.UnreachableException();
    }
}
