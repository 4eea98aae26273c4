using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Onboarding.Tests.Infrastructure;

/// <summary>A loopback identity provider that is down: every request is a 503, counted.</summary>
public sealed class DownIssuer(WebApplication app) : IAsyncDisposable
{
    private int _fetches;

    public string Authority => app.Urls.First() + "/";

    public int Fetches => Volatile.Read(ref _fetches);

    public static async Task<DownIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new DownIssuer(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref issuer._fetches);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return issuer;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
