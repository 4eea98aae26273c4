using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core;
using Onboarding.Core.Storage;
using Onboarding.FunctionsHost;
using Onboarding.Server;
using Onboarding.Testing;

namespace Onboarding.LoadTest;

/// <summary>
/// What the load runs against: the Server in this process, or the compiled Functions worker behind the Functions
/// test host (its own process). Either way: the base address, a token per virtual user, the <see cref="TableServiceClient"/>
/// the raw SDK side uses, and the hops that are each operation's floor.
/// </summary>
internal sealed class LoadTarget : IAsyncDisposable
{
    /// <summary>Development-only key for the local secret store (never a real secret).</summary>
    private const string LocalEncryptionKey = "bG9hZC10ZXN0LW9ubHkta2V5LWxvY2FsLXNlY3JldHM=";

    /// <summary>A path the test host answers itself, without the worker: the test host's own HTTP exchange.</summary>
    private const string HostPingPath = "host/ping";

    private readonly Func<ValueTask> _dispose;
    private readonly Func<string, TimeSpan, string> _mint;

    private LoadTarget(Uri baseAddress, TableServiceClient tables, string authority, Func<string, TimeSpan, string> mint, IReadOnlyList<(string, string)> hops, Func<ValueTask> dispose)
    {
        BaseAddress = baseAddress;
        Tables = tables;
        Authority = authority;
        Hops = hops;
        _mint = mint;
        _dispose = dispose;
    }

    public Uri BaseAddress { get; }

    public TableServiceClient Tables { get; }

    public string Authority { get; }

    /// <summary>The first is the floor every operation is measured against (<c>GET health</c> through the same path).</summary>
    public IReadOnlyList<(string Name, string Path)> Hops { get; }

    public string Mint(string subject, TimeSpan lifetime) => _mint(subject, lifetime);

    public static async Task<LoadTarget> StartServerAsync(string storage, CancellationToken ct)
    {
        var issuer = await TestIssuer.StartAsync();
        var server = await OnboardingServer.CreateAsync(
            [
                "--urls=http://127.0.0.1:0",
                "--environment=LoadTest",
                $"--Storage:ConnectionString={storage}",
                $"--Auth:Authority={issuer.Authority}",
                $"--Auth:Audience={TestIssuer.DefaultAudience}",
                $"--Auth:AuthorizedParties:0={TestIssuer.DefaultAuthorizedParty}",
                $"--Secrets:LocalEncryptionKey={LocalEncryptionKey}",
                "--Logging:LogLevel:Default=Warning",

                // Each virtual user sends a few hundred requests a second, far above a real user's per-minute budget.
                // The limiter stays in the path (every request still takes a permit); it is only made wide enough.
                "--RateLimit:PermitsPerMinute=1000000",
                "--RateLimit:Burst=1000000",
            ]);
        await server.App.StartAsync(ct);
        return new LoadTarget(
            LoopbackAddress.Of(server.App.Services), server.App.Services.GetRequiredService<TableServiceClient>(), issuer.Authority,
            (subject, lifetime) => Mint(issuer, subject, lifetime),
            [("GET health (Server)", "api/health")],
            async () =>
            {
                await server.App.StopAsync(CancellationToken.None);
                await server.DisposeAsync();
                await issuer.DisposeAsync();
            });
    }

    public static async Task<LoadTarget> StartFunctionsAsync(string storage, CancellationToken ct)
    {
        var issuer = await TestIssuer.StartAsync();
        var options = new FunctionsTestHostOptions { Environment = "Development" };
        options.AppSettings["Storage:ConnectionString"] = storage;
        options.AppSettings["Auth:Authority"] = issuer.Authority;
        options.AppSettings["Auth:Audience"] = TestIssuer.DefaultAudience;
        options.AppSettings["Auth:AuthorizedParties:0"] = TestIssuer.DefaultAuthorizedParty;
        options.AppSettings["Secrets:LocalEncryptionKey"] = LocalEncryptionKey;
        options.AppSettings["Logging:LogLevel:Default"] = "Warning";
        options.AppSettings["RateLimit:PermitsPerMinute"] = "1000000";
        options.AppSettings["RateLimit:Burst"] = "1000000";
        options.MapHostEndpoints = app => app.MapGet("/" + HostPingPath, () => Results.Text("ok"));
        var host = await FunctionsTestHost.StartAsync(options, ct);

        // The raw side runs in this process over the same Azurite, with the retry settings Core gives its client.
        var tables = TableClientFactory.Create(new StorageOptions { ConnectionString = storage });
        return new LoadTarget(
            host.BaseAddress, tables, issuer.Authority, (subject, lifetime) => Mint(issuer, subject, lifetime),
            [("GET health (through the test host to the worker)", "api/health"), ("the test host alone (GET /host/ping, not forwarded)", HostPingPath)],
            async () =>
            {
                await host.DisposeAsync();
                await issuer.DisposeAsync();
            });
    }

    public ValueTask DisposeAsync() => _dispose();

    /// <summary>A virtual user's token: the issuer's usual claims plus an email, valid for the whole run.</summary>
    private static string Mint(TestIssuer issuer, string subject, TimeSpan lifetime) => issuer.Mint(subject, token =>
    {
        token.Expires = token.IssuedAt + lifetime;
        token.Claims["email"] = subject + "@load.example";
    });
}
