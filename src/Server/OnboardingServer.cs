using Onboarding.Core;
using Onboarding.Core.Hosting;
using Onboarding.Core.Http;
using Onboarding.Core.Storage;
using Onboarding.Server.Azurite;
using Onboarding.Server.DevIssuer;
using Onboarding.Server.OpenApi;

namespace Onboarding.Server;

/// <summary>
/// The API on plain ASP.NET Core: the same Core services and route table as the Functions app. Outside Production,
/// missing settings fall back to embedded defaults: an Azurite it starts itself and the development issuer.
/// </summary>
public sealed class OnboardingServer : IAsyncDisposable
{
    private readonly AzuriteProcess? _azurite;

    private OnboardingServer(WebApplication app, AzuriteProcess? azurite, DevelopmentIssuer? issuer)
    {
        App = app;
        _azurite = azurite;
        Issuer = issuer;
    }

    public WebApplication App { get; }

    /// <summary>The development issuer, when this instance acts as its own issuer.</summary>
    public DevelopmentIssuer? Issuer { get; }

    public static async Task<OnboardingServer> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var config = builder.Configuration;
        var production = builder.Environment.IsProduction();

        AzuriteProcess? azurite = null;
        if (!production
            && string.IsNullOrWhiteSpace(config[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"])
            && string.IsNullOrWhiteSpace(config[$"{StorageOptions.SectionName}:{nameof(StorageOptions.TableServiceUri)}"]))
        {
            var dataDirectory = config["Azurite:DataDirectory"] is { Length: > 0 } configured
                ? configured
                : Path.Combine(AzuriteProcess.FindRepositoryRoot(), ".azurite");
            azurite = await AzuriteProcess.StartAsync(config.GetValue("Azurite:InMemory", false) ? null : dataDirectory);
            config[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"] = azurite.ConnectionString;
        }

        DevelopmentIssuer? issuer = null;
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(config["Auth:Authority"]))
        {
            issuer = new DevelopmentIssuer();
            builder.Services.AddSingleton(issuer);
            builder.Services.AddSingleton(issuer.TokenIssuer);
        }

        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = DescribeFrameworkProblem);
        builder.AddOnboardingHardening();
        builder.Services.AddOnboardingServiceDefaults(config, "onboarding-server");
        builder.Services.AddOnboardingCore(config);
        builder.Services.AddProblemDetails();
        builder.Services.AddOnboardingOpenApi();
        builder.Services.AddOnboardingCors(config);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseOnboardingHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDemoFrontend();
        app.UseRouting();
        app.UseCors();
        app.UseMiddleware<BearerAuthenticationMiddleware>();
        app.MapOnboardingApi();
        app.MapOnboardingOpenApi();
        if (issuer is not null)
        {
            app.MapDevelopmentIssuer();
        }

        return new OnboardingServer(app, azurite, issuer);
    }

    /// <summary>
    /// The framework's own answers (an unknown path, a wrong verb, a body type the route does not accept) carry a detail
    /// too, like every error of the API; its 415 is the same problem as the one Core's handlers send.
    /// </summary>
    private static void DescribeFrameworkProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
        {
            problem.Type = Problems.TypePrefix + "unsupported-media-type";
            problem.Title = "The content type is not supported.";
            problem.Detail = "Request bodies must be sent as application/json.";
        }

        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => "Nothing is served at this path.",
            StatusCodes.Status405MethodNotAllowed => $"This path does not accept the {context.HttpContext.Request.Method} method.",
            _ => problem.Title,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Issuer?.Dispose();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
