using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>The caller's identity and their privacy rights: an export of everything stored, and erasure.</summary>
public sealed class MeEndpoints(OnboardingService service, OnboardingRules rules, TimeProvider time)
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Handlers are instance members so both hosts resolve every handler from DI the same way.")]
    public Ok<MeView> Get(CurrentUser user) => TypedResults.Ok(ViewBuilder.Me(user));

    public async Task<Ok<ExportView>> Export(CurrentUser user, HttpResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var snapshot = await service.ReadAsync(user, cancellationToken);
        var export = new ExportView(
            ViewBuilder.Me(user),
            time.GetUtcNow(),
            ViewBuilder.Progress(rules, snapshot),
            snapshot.ApiKeys.OrderBy(k => k.Provider, StringComparer.Ordinal)
                .Select(k => new ExportedKeyView(k.Provider, k.Hint, k.UpdatedAt, k.Description)).ToArray());
        response.Headers.ContentDisposition = "attachment; filename=\"onboarding-export.json\"";
        return TypedResults.Ok(export);
    }

    public async Task<NoContent> Delete(CurrentUser user, CancellationToken cancellationToken)
    {
        await service.EraseAsync(user, cancellationToken);
        return TypedResults.NoContent();
    }
}
