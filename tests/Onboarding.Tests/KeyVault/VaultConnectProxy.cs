using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Onboarding.Tests.KeyVault;

/// <summary>
/// An HTTP <c>CONNECT</c> proxy on loopback that tunnels one host name, the vault's, to a loopback port. The app process
/// is given it as <c>HTTPS_PROXY</c>, so it can use a real-looking vault URI (whose bearer challenge the Key Vault SDK
/// accepts, unlike one on <c>localhost</c>) while its TLS still ends at the loopback fake. Any other target is refused
/// with 403, so nothing the app sends through it leaves the machine.
/// </summary>
public sealed class VaultConnectProxy : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 8192;

    private readonly TcpListener _listener;
    private readonly string _allowedTarget;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _tunnels;
    private int _refusals;

    private VaultConnectProxy(string allowedHost, int targetPort)
    {
        _allowedTarget = allowedHost + ":443";
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's address, for <c>HTTPS_PROXY</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Tunnels opened to the vault.</summary>
    public int Tunnels => Volatile.Read(ref _tunnels);

    /// <summary>Requests refused: any other target or method.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>Starts a proxy that tunnels <c>CONNECT <paramref name="allowedHost"/>:443</c> to <c>127.0.0.1:<paramref name="targetPort"/></c>.</summary>
    public static VaultConnectProxy Start(string allowedHost, int targetPort) => new(allowedHost, targetPort);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadRequestHeadAsync(stream, _stopping.Token);
                var requestLine = head?.Split("\r\n", 2)[0].Split(' ');
                if (requestLine is not ["CONNECT", var target, _] || !target.Equals(_allowedTarget, StringComparison.OrdinalIgnoreCase))
                {
                    Interlocked.Increment(ref _refusals);
                    await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stopping.Token);
                    return;
                }

                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
                Interlocked.Increment(ref _tunnels);
                await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), _stopping.Token);
                var vault = upstream.GetStream();

                // Either side closing ends the tunnel: the fake dropping a connection must reach the app as a drop.
                await Task.WhenAny(PipeAsync(stream, vault, upstream.Client), PipeAsync(vault, stream, client.Client));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A tunnel torn down mid-copy, or the proxy stopping: the connection just closes.
            }
        }
    }

    private async Task PipeAsync(Stream from, Stream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, _stopping.Token);
            toSocket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side is gone already; the tunnel ends with it.
        }
    }

    /// <summary>Reads up to the blank line that ends the request head, one byte at a time so no tunnel byte is consumed.</summary>
    private static async Task<string?> ReadRequestHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < MaxRequestHeadBytes)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
