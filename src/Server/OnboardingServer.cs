using Onboarding.Core;
using Onboarding.Core.Http;
using Onboarding.Core.Storage;
using Onboarding.Core.Telemetry;
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

        builder.AddOnboardingHardening();
        builder.Services.AddOnboardingTelemetry(config, "onboarding-server");
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
