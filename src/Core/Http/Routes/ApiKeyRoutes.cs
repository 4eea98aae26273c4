using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>The provider key routes: name, verb, template, typed handler and description of each, in document order.</summary>
internal static class ApiKeyRoutes
{
    public const string Tag = "API keys";

    // Bound as a raw string: an unknown provider is the handler's own 404 ProblemDetails.
    private static readonly ParameterValues Provider = new("provider", typeof(string)) { Allowed = [.. ProviderCatalog.All.Select(p => p.Name)] };

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Map(RouteNames.ListApiKeys, HttpVerb.Get, ApiRoutes.ApiKeys,
            ([FromServices] ApiKeyEndpoints e, CurrentUser user, CancellationToken ct) => e.List(user, ct),
            new(Tag, "The user's provider keys, masked.", typeof(ApiKeysView))),
        Map(RouteNames.SaveApiKey, HttpVerb.Post, ApiRoutes.ApiKeys,
            ([FromServices] ApiKeyEndpoints e, CurrentUser user, JsonRequest<SaveApiKeyRequest> body, CancellationToken ct) => e.Save(user, body, ct),
            new(Tag, "Stores (or replaces) one provider's API key in the secret store.", typeof(ApiKeySavedView),
                Problems: [400, 413, 415], FieldErrors: true)),
        Map(RouteNames.ListApiKeysForWizard, HttpVerb.Get, ApiRoutes.ApiKeysForWizard,
            ([FromServices] ApiKeyEndpoints e, CurrentUser user, CancellationToken ct) => e.ListForWizard(user, ct),
            new(Tag, "The wizard's prefill of provider keys, masked (never the raw keys).", typeof(ApiKeysView))),
        Map(RouteNames.ValidateApiKeys, HttpVerb.Get, ApiRoutes.ApiKeysValidate,
            ([FromServices] ApiKeyEndpoints e, CurrentUser user, CancellationToken ct) => e.Validate(user, ct),
            new(Tag, "Which required providers have a key, keys masked.", typeof(ApiKeyValidationView))),
        Map(RouteNames.DeleteApiKey, HttpVerb.Delete, ApiRoutes.ApiKey,
            ([FromServices] ApiKeyEndpoints e, CurrentUser user, [FromRoute] string provider, CancellationToken ct) => e.Delete(user, provider, ct),
            new(Tag, "Deletes one provider's API key.", null, StatusCodes.Status204NoContent, Problems: [404]) { Parameters = [Provider] }),
    ];
}
