using Microsoft.Extensions.FileProviders;

namespace Onboarding.Server;

/// <summary>
/// The browser demo of the wizard (<c>wwwroot</c>: plain HTML and JavaScript modules), served in Development only.
/// Static files are answered before routing and authentication: they are public and carry no user data.
/// </summary>
public static class DemoFrontend
{
    /// <summary>The build copies <c>wwwroot</c> next to the assembly, so every host of it (the tests too) finds the same files.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    // The page loads nothing from anywhere else: no CDN, no fonts, no inline script.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static bool IsServed(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() && File.Exists(Path.Combine(Root, "index.html"));
    }

    public static WebApplication UseDemoFrontend(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsServed(app.Environment))
        {
            return app;
        }

        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
