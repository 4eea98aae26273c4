namespace Onboarding.Server;

/// <summary>
/// Cross-origin access: a browser app on another origin may call the API only when that origin is listed in
/// <c>Cors:AllowedOrigins</c> (a list, or one comma-separated value). With none listed, no origin is answered.
/// </summary>
public static class CorsSetup
{
    public const string AllowedOriginsKey = "Cors:AllowedOrigins";

    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE"];
    private static readonly string[] RequestHeaders = ["Authorization", "Content-Type", "If-Match"];

    // The client reads these: ETag for If-Match, Retry-After on 429/503, the bearer challenge on 401.
    private static readonly string[] ResponseHeaders = ["ETag", "Retry-After", "WWW-Authenticate", "Content-Disposition"];

    public static IServiceCollection AddOnboardingCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = AllowedOrigins(configuration);
        return services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            // Bearer tokens, not cookies: credentials mode is never needed, so it stays off.
            policy.WithOrigins(origins)
                .WithMethods(Methods)
                .WithHeaders(RequestHeaders)
                .WithExposedHeaders(ResponseHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    /// <summary>The configured origins, normalised to <c>scheme://host[:port]</c>; anything else fails at start-up.</summary>
    public static string[] AllowedOrigins(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AllowedOriginsKey);
        var values = section.Value is { Length: > 0 } single
            ? single.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0).ToArray();
        return values.Select(Normalize).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string Normalize(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException(
                $"{AllowedOriginsKey} entries must be origins such as https://app.example or http://localhost:5173 (no path, no wildcard); got '{origin}'.");
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }
}
