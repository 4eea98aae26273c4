using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Onboarding.Core.Http;

namespace Onboarding.Core.Hosting;

public static class OnboardingHealthChecksServiceCollectionExtensions
{
    /// <summary>
    /// <c>/api/health</c> and <c>/api/health/ready</c> on ASP.NET Core health checks: readiness asks storage and the
    /// secret store through <see cref="ReadinessProbe"/>, cached for Health:ReadyCacheDuration.
    /// </summary>
    public static IServiceCollection AddOnboardingHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HealthOptions>()
            .Bind(configuration.GetSection(HealthOptions.SectionName))
            .Validate(o => o.ReadyCacheDuration >= TimeSpan.Zero && o.ReadyCacheDuration <= TimeSpan.FromMinutes(5), "Health:ReadyCacheDuration must be between 0 and 5 minutes.")
            .ValidateOnStart();
        services.TryAddSingleton<ReadinessProbe>();
        services.AddHealthChecks().AddCheck<DependencyHealthCheck>(DependencyHealthCheck.Name, tags: [DependencyHealthCheck.ReadyTag]);
        services.TryAddSingleton<HealthEndpoints>();
        return services;
    }
}
