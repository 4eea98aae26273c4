using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Onboarding.Core;
using Onboarding.Core.Hosting;

namespace Onboarding.Functions;

/// <summary>
/// Everything the Functions app adds to the worker: the ASP.NET Core integration, the bearer gate, telemetry and Core.
/// Program.cs calls only this, so the tests build the same host the worker runs.
/// </summary>
public static class OnboardingFunctionsApplicationBuilderExtensions
{
    /// <summary>The OpenTelemetry service name the app reports, beside the Server's <c>onboarding-server</c>.</summary>
    public const string ServiceName = "onboarding-functions";

    public static FunctionsApplicationBuilder ConfigureOnboardingFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureFunctionsWebApplication();

        // After the ASP.NET Core integration: its middleware runs first and puts the HttpContext on the FunctionContext.
        builder.UseMiddleware<SecurityHeadersMiddleware>();
        builder.UseMiddleware<BearerAuthenticationMiddleware>();

        // The worker's invocation activities and the Functions resource, then the Server's telemetry, health checks and
        // Azure clients. The worker defaults also tell the host that the worker sends its own telemetry, so nothing is
        // sent twice. Order matters: resource attributes added later win, and the Functions resource detector names the
        // service after the site (or the assembly), so Core's service name has to come after it.
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        builder.Services.AddOnboardingServiceDefaults(builder.Configuration, ServiceName);

        builder.Services.AddOnboardingCore(builder.Configuration);
        return builder;
    }
}
