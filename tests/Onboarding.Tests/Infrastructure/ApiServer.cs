using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Server;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// A real Server instance on a loopback port, over the shared Azurite and a loopback issuer. Requests go through
/// Kestrel, the middleware and the handlers exactly as in production.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    /// <summary>A fixed development key so a second instance can read what the first one encrypted.</summary>
    public const string LocalEncryptionKey = "dGVzdC1vbmx5LWtleS1mb3ItbG9jYWwtc2VjcmV0cyE=";

    private readonly OnboardingServer _server;

    private ApiServer(OnboardingServer server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _server.App.Services;

    /// <summary>
    /// Starts a Server. A <c>null</c> value in <paramref name="settings"/> removes that default (for example
    /// <c>Auth:Authority</c>, so a Development server acts as its own issuer).
    /// </summary>
    public static async Task<ApiServer> StartAsync(
        AzuriteFixture azurite,
        TestIssuer? issuer,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string environment = "Testing")
    {
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["environment"] = environment,
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Auth:Authority"] = issuer?.Authority, // null: none, so a Development server is its own issuer
            ["Auth:Audience"] = TestIssuer.DefaultAudience,
            ["Auth:AuthorizedParties:0"] = "https://app.example",
            ["Auth:KeyRefreshMinimumInterval"] = "00:00:01",
            ["Secrets:LocalEncryptionKey"] = LocalEncryptionKey,
            ["Logging:LogLevel:Default"] = "Warning",

            // Tests drive one user or one loopback address far harder than a browser would; the limit tests set their own.
            ["RateLimit:PermitsPerMinute"] = "1000000",
            ["RateLimit:Burst"] = "1000000",
            ["RateLimit:FailedAuthenticationsPerMinute"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var args = values.Where(v => v.Value is not null).Select(v => $"--{v.Key}={v.Value}").ToArray();
        var server = await OnboardingServer.CreateAsync(args, configure);
        try
        {
            await server.App.StartAsync();
        }
        catch
        {
            // A server that refused to start (options validation) still owns resources.
            await server.DisposeAsync();
            throw;
        }

        var address = server.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(server, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client with no credentials; <see cref="WithToken"/> adds one.</summary>
    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public HttpClient WithToken(string token)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.App.StopAsync();
        await _server.DisposeAsync();
    }
}
