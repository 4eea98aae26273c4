using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Onboarding.Core.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs for a host of the API: incoming requests, outgoing HTTP (the issuer's keys), and
/// the Azure SDK's own activities (Table Storage, Key Vault). Exported to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set and over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
/// neither set, nothing leaves the process. Request and response bodies and headers are never recorded, and URL query
/// strings are redacted by the instrumentation.
/// </summary>
public static class OnboardingTelemetryServiceCollectionExtensions
{
    public const string AzureMonitorConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AzureMonitorAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Azure SDK clients create activities only with this switch; it must be set before the first client exists.</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    public static IServiceCollection AddOnboardingTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);

        var azureMonitor = configuration[AzureMonitorConnectionString];
        var credential = AzureMonitorCredential(configuration[AzureMonitorAuthentication]);
        void ConfigureAzureMonitor(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = azureMonitor;
            options.Credential = credential;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource("Azure.*");
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    tracing.AddAzureMonitorTraceExporter(ConfigureAzureMonitor);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    metrics.AddAzureMonitorMetricExporter(ConfigureAzureMonitor);
                }
            })
            .WithLogging(logging =>
            {
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    logging.AddAzureMonitorLogExporter(ConfigureAzureMonitor);
                }
            });

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]))
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>
    /// Application Insights with local authentication disabled (as the infra deploys it) accepts telemetry only from an
    /// Entra identity: "Authorization=AAD" means the managed identity, "Authorization=AAD;ClientId=..." a user-assigned one.
    /// </summary>
    private static ManagedIdentityCredential? AzureMonitorCredential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication))
        {
            return null;
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var scheme) || !scheme.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
