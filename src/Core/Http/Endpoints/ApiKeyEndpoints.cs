using Microsoft.AspNetCore.Http;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.Http;

/// <summary>Body of <c>POST onboarding/api-keys</c>.</summary>
public sealed record SaveApiKeyRequest(string Provider, string ApiKey, string? Description = null);

/// <summary>Provider key handlers. Listing reads only the index rows: it never touches the secret store.</summary>
public sealed class ApiKeyEndpoints(OnboardingService service, OnboardingRules rules)
{
    public const int MaxDescriptionLength = 200;

    public Task<IResult> List(HttpContext context) => EndpointRunner.RunAsync(context, async (user, ct) =>
        TypedResults.Ok(ViewBuilder.ApiKeys(await service.ReadAsync(user, ct))));

    /// <summary>The wizard's prefill. The legacy app returned raw keys here; this one returns the same masked view.</summary>
    public Task<IResult> ListForWizard(HttpContext context) => List(context);

    /// <summary>
    /// Which of the required providers have a key, as the frontend's API-key validation step reads it. The legacy app
    /// reported its server's own keys here; this one reports the user's, masked.
    /// </summary>
    public Task<IResult> Validate(HttpContext context) => EndpointRunner.RunAsync(context, async (user, ct) =>
        TypedResults.Ok(ViewBuilder.ApiKeyValidation(rules, await service.ReadAsync(user, ct))));

    public Task<IResult> Save(HttpContext context) => EndpointRunner.RunAsync(context, async (user, ct) =>
    {
        var body = await JsonBody.ReadAsync<SaveApiKeyRequest>(context.Request, ct);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var request = body.Value!;
        var provider = ProviderCatalog.Find(request.Provider);
        if (provider is null)
        {
            return Problems.Validation(
                new Dictionary<string, string[]> { ["provider"] = [$"Supported providers: {string.Join(", ", ProviderCatalog.All.Select(p => p.Name))}."] },
                "The provider is not supported.");
        }

        if (ProviderCatalog.CheckKey(provider, request.ApiKey.Trim()) is { } keyProblem)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["api_key"] = [keyProblem] }, keyProblem);
        }

        if (request.Description is { Length: > MaxDescriptionLength })
        {
            return Problems.Validation(
                new Dictionary<string, string[]> { ["description"] = [$"At most {MaxDescriptionLength} characters."] },
                $"The description is limited to {MaxDescriptionLength} characters.");
        }

        var key = new NewApiKey(provider, request.ApiKey.Trim(), request.Description);
        var saved = await service.SaveApiKeyAsync(user, key, ct);
        return saved.Problem is { } rejected ? Problems.For(rejected) : TypedResults.Ok(new ApiKeySavedView(
            $"{provider.DisplayName} API key saved.", provider.Name, saved.Value!.Replaced ? "updated" : "saved", ProviderCatalog.Mask(key.Value)));
    });

    public Task<IResult> Delete(HttpContext context, string provider) => EndpointRunner.RunAsync(context, async (user, ct) =>
    {
        var known = ProviderCatalog.Find(provider);
        if (known is null)
        {
            return Problems.NotFound($"'{(provider.Length > 32 ? provider[..32] : provider)}' is not a supported provider.", "unknown-provider", "Unknown provider.");
        }

        var deleted = await service.DeleteApiKeyAsync(user, known, ct);
        return deleted.Problem is { } rejected ? Problems.For(rejected) : TypedResults.NoContent();
    });
}
