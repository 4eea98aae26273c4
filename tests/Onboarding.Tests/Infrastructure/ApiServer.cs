using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Onboarding.Server;

namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// A real Server instance on a loopback port, over the shared Azurite and a loopback issuer. Requests go through
/// Kestrel, the middleware and the handlers exactly as in production.
/// </summary>
public sealed class ApiServer : IApiHost
{
    /// <summary>A fixed development key so a second instance can read what the first one encrypted.</summary>
    public const string LocalEncryptionKey = ApiHosts.LocalEncryptionKey;

    private readonly OnboardingServer _server;

    private ApiServer(OnboardingServer server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
    }

    public ApiHostKind Kind => ApiHostKind.Server;

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
        var values = ApiHosts.Settings(azurite, issuer, settings);
        values["urls"] = "http://127.0.0.1:0";
        values["environment"] = environment;

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

        return new ApiServer(server, LoopbackAddress.Of(server.App.Services));
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
