using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// The Server's transport-level protections: body size, failed-authentication limit, security headers and HSTS. (The
/// request-log filter that keeps URLs out of logs is shared with the Functions app, in <c>AddOnboardingServiceDefaults</c>.)
/// </summary>
public static class ServerHardening
{
    public static WebApplicationBuilder AddOnboardingHardening(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Kestrel cuts larger bodies off while they arrive; Core's JsonBody answers with the same 413 ProblemDetails.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
        builder.Services.AddSingleton<FailedAuthenticationLimiter>();
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    /// <summary>First in the pipeline, so even error responses carry the headers.</summary>
    public static WebApplication UseOnboardingHardening(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            // Sent only on https requests, and never to localhost.
            app.UseHsts();
        }

        return app;
    }
}
