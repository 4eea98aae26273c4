using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Onboarding.Tests.Telemetry;

/// <summary>A loopback HTTP endpoint standing in for an OTLP collector or Azure Monitor ingestion: it records what arrives.</summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private TelemetrySink(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>"METHOD /path" of each request received.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<TelemetrySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new TelemetrySink(app);
        app.Run(async context =>
        {
            sink._requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await context.Request.Body.CopyToAsync(Stream.Null);
            if (context.Request.Path.StartsWithSegments("/v2.1/track", StringComparison.Ordinal))
            {
                // Azure Monitor's ingestion answer; the exporter only needs to see nothing was rejected.
                await context.Response.WriteAsJsonAsync(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return sink;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
