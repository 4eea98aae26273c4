using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Http;

public sealed record HealthView(string Status, IReadOnlyDictionary<string, string>? Checks = null);

/// <summary>
/// Anonymous liveness and readiness. Readiness proves storage and the secret store answer, reading no user data; its
/// answer is reused briefly (<see cref="ReadinessProbe"/>), so probes cannot throttle the vault.
/// </summary>
public sealed class HealthEndpoints(ReadinessProbe readiness)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Handlers are instance members so both hosts resolve every handler from DI the same way.")]
    public Task<IResult> Live(HttpContext context) => Task.FromResult<IResult>(TypedResults.Ok(new HealthView("healthy")));

    public async Task<IResult> Ready(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var unavailable = await readiness.CheckAsync().WaitAsync(context.RequestAborted);
        return unavailable is null
            ? TypedResults.Ok(new HealthView("ready", new Dictionary<string, string> { ["storage"] = "ok", ["secrets"] = "ok" }))
            : Problems.Unavailable(unavailable);
    }
}
