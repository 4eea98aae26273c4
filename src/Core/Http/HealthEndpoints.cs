using Microsoft.AspNetCore.Http;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Http;

public sealed record HealthView(string Status, IReadOnlyDictionary<string, string>? Checks = null);

/// <summary>Anonymous liveness and readiness. Readiness proves storage and the secret store answer, reading no user data.</summary>
public sealed class HealthEndpoints(OnboardingTable table, ISecretStore secrets)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Handlers are instance members so both hosts resolve every handler from DI the same way.")]
    public Task<IResult> Live(HttpContext context) => Task.FromResult<IResult>(TypedResults.Ok(new HealthView("healthy")));

    public async Task<IResult> Ready(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await table.CheckReadyAsync(context.RequestAborted);
            await secrets.CheckReadyAsync(context.RequestAborted);
        }
        catch (DependencyUnavailableException ex)
        {
            return Problems.Unavailable(ex);
        }

        return TypedResults.Ok(new HealthView("ready", new Dictionary<string, string> { ["storage"] = "ok", ["secrets"] = "ok" }));
    }
}
