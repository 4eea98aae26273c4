using Microsoft.AspNetCore.Http;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>The caller's identity and their privacy rights: an export of everything stored, and erasure.</summary>
public sealed class MeEndpoints(OnboardingService service, OnboardingRules rules, TimeProvider time)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Handlers are instance members so both hosts resolve every handler from DI the same way.")]
    public Task<IResult> Get(HttpContext context) => EndpointRunner.RunAsync(context, (user, _) =>
        Task.FromResult<IResult>(TypedResults.Ok(ViewBuilder.Me(user))));

    public Task<IResult> Export(HttpContext context) => EndpointRunner.RunAsync(context, async (user, ct) =>
    {
        var snapshot = await service.ReadAsync(user, ct);
        var export = new ExportView(
            ViewBuilder.Me(user),
            time.GetUtcNow(),
            ViewBuilder.Progress(rules, snapshot),
            snapshot.ApiKeys.OrderBy(k => k.Provider, StringComparer.Ordinal)
                .Select(k => new ExportedKeyView(k.Provider, k.Hint, k.UpdatedAt, k.Description)).ToArray());
        context.Response.Headers.ContentDisposition = "attachment; filename=\"onboarding-export.json\"";
        return TypedResults.Ok(export);
    });

    public Task<IResult> Delete(HttpContext context) => EndpointRunner.RunAsync(context, async (user, ct) =>
    {
        await service.EraseAsync(user, ct);
        return TypedResults.NoContent();
    });
}
