using Onboarding.Core.Http;

namespace Onboarding.Server;

/// <summary>
/// The Server's transport-level protections: body size, failed-authentication limit, security headers, HSTS, and no
/// request URLs in logs.
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

        // ASP.NET Core's "Request starting/finished" logs carry the full URL, query string included, so a token a client
        // wrongly put in the URL would be logged. The request traces hold the same facts with the query redacted.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
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
