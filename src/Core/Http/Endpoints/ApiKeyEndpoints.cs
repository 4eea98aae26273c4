using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>Body of <c>POST onboarding/api-keys</c>.</summary>
public sealed record SaveApiKeyRequest(string Provider, string ApiKey, string? Description = null);

/// <summary>
/// Provider key handlers, typed: both hosts run them inside the protected-route frame. Listing reads only the index
/// rows: it never touches the secret store.
/// </summary>
public sealed class ApiKeyEndpoints(OnboardingService service, OnboardingRules rules)
{
    public const int MaxDescriptionLength = 200;

    public async Task<Ok<ApiKeysView>> List(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.ApiKeys(await service.ReadAsync(user, cancellationToken)));

    /// <summary>The wizard's prefill. The legacy app returned raw keys here; this one returns the same masked view.</summary>
    public Task<Ok<ApiKeysView>> ListForWizard(CurrentUser user, CancellationToken cancellationToken) => List(user, cancellationToken);

    /// <summary>
    /// Which of the required providers have a key, as the frontend's API-key validation step reads it. The legacy app
    /// reported its server's own keys here; this one reports the user's, masked.
    /// </summary>
    public async Task<Ok<ApiKeyValidationView>> Validate(CurrentUser user, CancellationToken cancellationToken)
        => TypedResults.Ok(ViewBuilder.ApiKeyValidation(rules, await service.ReadAsync(user, cancellationToken)));

    /// <summary>Answers a plain <see cref="IResult"/>: its success and problems are described by its route.</summary>
    public async Task<IResult> Save(CurrentUser user, JsonRequest<SaveApiKeyRequest> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await request.ReadAsync(cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var fields = body.Value!;
        var provider = ProviderCatalog.Find(fields.Provider);
        if (provider is null)
        {
            return Problems.Validation(
                new Dictionary<string, string[]> { ["provider"] = [$"Supported providers: {string.Join(", ", ProviderCatalog.All.Select(p => p.Name))}."] },
                "The provider is not supported.");
        }

        if (ProviderCatalog.CheckKey(provider, fields.ApiKey.Trim()) is { } keyProblem)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["api_key"] = [keyProblem] }, keyProblem);
        }

        if (fields.Description is { Length: > MaxDescriptionLength })
        {
            return Problems.Validation(
                new Dictionary<string, string[]> { ["description"] = [$"At most {MaxDescriptionLength} characters."] },
                $"The description is limited to {MaxDescriptionLength} characters.");
        }

        var key = new NewApiKey(provider, fields.ApiKey.Trim(), fields.Description);
        var saved = await service.SaveApiKeyAsync(user, key, cancellationToken);
        return saved.Problem is { } rejected ? Problems.For(rejected) : TypedResults.Ok(new ApiKeySavedView(
            $"{provider.DisplayName} API key saved.", provider.Name, saved.Value!.Replaced ? "updated" : "saved", ProviderCatalog.Mask(key.Value)));
    }

    public async Task<IResult> Delete(CurrentUser user, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var known = ProviderCatalog.Find(provider);
        if (known is null)
        {
            return Problems.NotFound($"'{(provider.Length > 32 ? provider[..32] : provider)}' is not a supported provider.", "unknown-provider", "Unknown provider.");
        }

        var deleted = await service.DeleteApiKeyAsync(user, known, cancellationToken);
        return deleted.Problem is { } rejected ? Problems.For(rejected) : TypedResults.NoContent();
    }
}
