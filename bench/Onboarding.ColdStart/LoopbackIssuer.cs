using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Onboarding.Core;
using Onboarding.Server.DevIssuer;

namespace Onboarding.ColdStart;

/// <summary>
/// The development issuer's discovery document and JWKS on a loopback port of their own, so every worker that starts
/// fetches its signing keys over HTTP exactly as it would from a real issuer, and the first request pays for it.
/// </summary>
internal sealed class LoopbackIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackIssuer(WebApplication app, DevelopmentIssuer issuer, Uri address)
    {
        _app = app;
        Issuer = issuer;
        MetadataAddress = new Uri(address, DevelopmentIssuerEndpoints.DiscoveryPath);
    }

    public DevelopmentIssuer Issuer { get; }

    public Uri MetadataAddress { get; }

    public static async Task<LoopbackIssuer> StartAsync(CancellationToken cancellationToken)
    {
        var issuer = new DevelopmentIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(issuer);
        builder.Services.ConfigureHttpJsonOptions(o => OnboardingCoreServiceCollectionExtensions.ConfigureJson(o.SerializerOptions));
        var app = builder.Build();
        app.MapDevelopmentIssuer();
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host)))
        {
            throw new InvalidOperationException("The cold-start harness only ever targets loopback.");
        }

        return new LoopbackIssuer(app, issuer, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Issuer.Dispose();
    }
}
