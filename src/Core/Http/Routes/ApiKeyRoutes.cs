using Microsoft.AspNetCore.Http;
using Onboarding.Core.Onboarding;
using static Onboarding.Core.Http.ApiRoute;

namespace Onboarding.Core.Http;

/// <summary>The provider key routes: name, verb, template, handler and description of each, in document order.</summary>
internal static class ApiKeyRoutes
{
    public const string Tag = "API keys";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        For<ApiKeyEndpoints>(RouteNames.ListApiKeys, HttpVerb.Get, ApiRoutes.ApiKeys, (e, c) => e.List(c),
            new(Tag, "The user's provider keys, masked.", typeof(ApiKeysView))),
        For<ApiKeyEndpoints>(RouteNames.SaveApiKey, HttpVerb.Post, ApiRoutes.ApiKeys, (e, c) => e.Save(c),
            new(Tag, "Stores (or replaces) one provider's API key in the secret store.", typeof(ApiKeySavedView),
                Request: typeof(SaveApiKeyRequest), Problems: [400, 413, 415], FieldErrors: true)),
        For<ApiKeyEndpoints>(RouteNames.ListApiKeysForWizard, HttpVerb.Get, ApiRoutes.ApiKeysForWizard, (e, c) => e.ListForWizard(c),
            new(Tag, "The wizard's prefill of provider keys, masked (never the raw keys).", typeof(ApiKeysView))),
        For<ApiKeyEndpoints>(RouteNames.ValidateApiKeys, HttpVerb.Get, ApiRoutes.ApiKeysValidate, (e, c) => e.Validate(c),
            new(Tag, "Which required providers have a key, keys masked.", typeof(ApiKeyValidationView))),
        For<ApiKeyEndpoints>(RouteNames.DeleteApiKey, HttpVerb.Delete, ApiRoutes.ApiKey, (e, c) => e.Delete(c, RouteValue(c, "provider")),
            new(Tag, "Deletes one provider's API key.", null, StatusCodes.Status204NoContent, Problems: [404])),
    ];
}
