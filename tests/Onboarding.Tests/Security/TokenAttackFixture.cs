using System.Net;
using System.Net.Sockets;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// A Server whose storage client counts every request, the issuer it trusts, a second issuer, and a loopback listener
/// standing in for an attacker's key server (it counts connections and never answers).
/// </summary>
public sealed class TokenAttackFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private TcpListener? _attacker;
    private int _attackerConnections;

    public AzuriteFixture Azurite { get; } = azurite;

    public TestIssuer Issuer { get; private set; } = null!;

    public TestIssuer OtherIssuer { get; private set; } = null!;

    public StorageProbe Storage { get; } = new();

    public ApiServer Server { get; private set; } = null!;

    public ForgedTokens Tokens { get; private set; } = null!;

    /// <summary>Connections made to the attacker's URL (a jku / x5u target).</summary>
    public int AttackerConnections => Volatile.Read(ref _attackerConnections);

    public async ValueTask InitializeAsync()
    {
        _attacker = new TcpListener(IPAddress.Loopback, 0);
        _attacker.Start();
        _ = AcceptAsync(_attacker);
        var attackerUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_attacker.LocalEndpoint).Port}/.well-known/jwks.json");

        Issuer = await TestIssuer.StartAsync();
        OtherIssuer = await TestIssuer.StartAsync();
        Server = await ApiServer.StartAsync(Azurite, Issuer, configure: Storage.Install(Azurite.ConnectionString));
        Tokens = new ForgedTokens(Issuer, OtherIssuer, attackerUrl);

        // The Server creates its table in the background as it starts. A first accepted request waits on that same
        // creation, so once it is answered no start-up storage request is left to land in a test that counts them.
        using var settle = Server.WithToken(Issuer.Mint(ApiFixture.NewSubject("settle")));
        using var settled = await settle.GetAsync("api/onboarding/init");
        settled.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _attacker?.Stop();
        Tokens.Dispose();
        await Server.DisposeAsync();
        await Issuer.DisposeAsync();
        await OtherIssuer.DisposeAsync();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _attackerConnections);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The listener was stopped.
        }
    }
}
