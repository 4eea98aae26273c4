using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;

namespace Onboarding.Core;

public static class OnboardingCoreServiceCollectionExtensions
{
    public const string IssuerHttpClient = "oidc";

    /// <summary>
    /// The application services both hosts share: options (validated at start), token validation, storage, the secret
    /// store and the endpoint handlers. The Azure clients they use come from <c>AddOnboardingServiceDefaults</c> (the
    /// hosts) or <c>AddOnboardingAzureClients</c> (the migration). A host that supplies its own <see cref="TokenIssuer"/> (the development issuer) registers
    /// it first.
    /// </summary>
    public static IServiceCollection AddOnboardingCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(5), "Auth:ClockSkew must be between 0 and 5 minutes.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.UserClaim), "Auth:UserClaim must name a claim.")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.TableServiceUri is not null,
                "Set Storage:ConnectionString (Azurite, development) or Storage:TableServiceUri (Azure, managed identity).")
            .ValidateOnStart();
        services.AddOptions<SecretsOptions>()
            .Bind(configuration.GetSection(SecretsOptions.SectionName))
            .Validate(o => o.RequiredProviders.All(p => ProviderCatalog.Find(p) is not null), "Secrets:RequiredProviders names an unknown provider.")
            .Validate(o => o.VaultUri is not null || LocalSecretStore.DecodeKey(o.LocalEncryptionKey) is not null,
                "Set Secrets:VaultUri (Azure Key Vault) or, for development, Secrets:LocalEncryptionKey (base64 of 32 bytes).")
            .ValidateOnStart();

        services.AddOptions<OnboardingOptions>()
            .Bind(configuration.GetSection(OnboardingOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnboardingOptions>, OnboardingOptionsValidator>());
        services.TryAddSingleton<OnboardingRules>();

        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<UserRateLimiter>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(IssuerHttpClient, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(sp => TokenIssuerFactory.Create(
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(IssuerHttpClient),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TokenAuthenticator>();
        services.TryAddSingleton<RequestAuthenticator>();

        services.TryAddSingleton<OnboardingTable>();
        services.AddHostedService<TableWarmup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>());
        services.AddOptions<KeyVaultSecretStoreOptions>()
            .Bind(configuration.GetSection(KeyVaultSecretStoreOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Key Vault whenever a vault is configured; the local development store otherwise (it refuses Production).
        services.TryAddSingleton<ISecretStore>(sp => sp.GetRequiredService<IOptions<SecretsOptions>>().Value.VaultUri is null
            ? ActivatorUtilities.CreateInstance<LocalSecretStore>(sp)
            : ActivatorUtilities.CreateInstance<KeyVaultSecretStore>(sp));

        services.TryAddSingleton<UserLocks>();
        services.TryAddSingleton<KeyLeases>();
        services.TryAddSingleton<ApiKeyService>();
        services.TryAddSingleton<OnboardingService>();
        services.TryAddSingleton<OnboardingEndpoints>();
        services.TryAddSingleton<ApiKeyEndpoints>();
        services.TryAddSingleton<MeEndpoints>();

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));

        // Core's ProblemDetails results are written through the ProblemDetails service on both hosts; its trace_id is
        // the id X-Correlation-Id names (the Server adds its own customization on top).
        services.AddProblemDetails();
        services.AddCorrelationIdToProblems();
        return services;
    }

    /// <summary>
    /// The wire format: snake_case names, as the frontend's client expects, and numbers only as JSON numbers. The web
    /// defaults would also read numeric strings; nothing reads with these options (JsonBody reads bodies with its own
    /// strict ones), and saying so makes the API document type integers as plain integers.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
    }
}
