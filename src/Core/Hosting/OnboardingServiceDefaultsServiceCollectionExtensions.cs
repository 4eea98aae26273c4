using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Onboarding.Core.Identity;
using Onboarding.Core.Telemetry;

namespace Onboarding.Core.Hosting;

/// <summary>
/// What every host of the API sets up the same way, around the application services of <c>AddOnboardingCore</c>:
/// telemetry, health checks, the Azure clients, the request-log filter and fetching the issuer's keys at start. Each
/// host calls it once and adds only what is its own (the Functions worker defaults, the Server's Kestrel hardening).
/// </summary>
public static class OnboardingServiceDefaultsServiceCollectionExtensions
{
    public static IServiceCollection AddOnboardingServiceDefaults(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Telemetry first: it turns on the Azure SDK's activities, which must happen before the first client exists.
        services.AddOnboardingTelemetry(configuration, serviceName);
        services.AddOnboardingHealthChecks(configuration);
        services.AddOnboardingAzureClients();

        // ASP.NET Core's "Request starting/finished" logs carry the full URL, query string included, so a token a client
        // wrongly put in the URL would be logged. The request traces hold the same facts with the query redacted.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));

        // Here and not in AddOnboardingCore: only a host that serves requests needs the keys (the migration does not).
        services.AddHostedService<IssuerKeysWarmup>();
        return services;
    }
}
