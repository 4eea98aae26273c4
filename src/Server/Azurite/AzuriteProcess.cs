using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Onboarding.Server.Azurite;

/// <summary>
/// Runs the repository's pinned Azurite Table service (npm, see package.json) on a free loopback port and stops it on
/// dispose. Used when no storage is configured (the embedded default) and by the test fixtures.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account; it is public and only ever valid against the emulator.</summary>
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Only a bound for a node that hangs: a starved machine can take well over half a minute to load Azurite, and a start
    // that is merely slow must not be mistaken for one that failed.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly string? _workspace;

    private AzuriteProcess(Process process, int port, string? workspace)
    {
        _process = process;
        Port = port;
        _workspace = workspace;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};TableEndpoint=http://127.0.0.1:{Port}/{DevAccount};";

    /// <summary>Starts Azurite. With <paramref name="dataDirectory"/> null it keeps everything in memory.</summary>
    public static async Task<AzuriteProcess> StartAsync(string? dataDirectory = null, CancellationToken cancellationToken = default)
    {
        var root = FindRepositoryRoot();
        var entry = Path.Combine(root, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(entry))
        {
            await RunNpmCiAsync(root, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            // In memory, Azurite refuses --location; it still runs in a scratch folder of its own.
            var workspace = dataDirectory ?? Directory.CreateTempSubdirectory("azurite-").FullName;
            Directory.CreateDirectory(workspace);
            var info = new ProcessStartInfo("node")
            {
                WorkingDirectory = workspace,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { entry, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableTelemetry", "--silent" })
            {
                info.ArgumentList.Add(arg);
            }

            info.ArgumentList.Add(dataDirectory is null ? "--inMemoryPersistence" : "--location");
            if (dataDirectory is not null)
            {
                info.ArgumentList.Add(dataDirectory);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node for Azurite.");
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => Keep(output, e.Data);
            process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var azurite = new AzuriteProcess(process, port, dataDirectory is null ? workspace : null);
            if (await azurite.WaitUntilListeningAsync(StartTimeout, cancellationToken))
            {
                return azurite;
            }

            await azurite.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException(
                    $"Azurite did not start listening. Is Node.js 20+ installed and did 'npm ci' succeed? Its output: {string.Join(Environment.NewLine, output)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // The kill was sent; nothing more can be done.
        }

        _process.Dispose();
        if (_workspace is not null)
        {
            try
            {
                Directory.Delete(_workspace, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder; the OS cleans it eventually.
            }
        }
    }

    /// <summary>The folder holding the package.json that pins Azurite.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Could not find the repository's package.json (with Azurite) above the current or application directory.");
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return false;
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is not null && output.Count < 50)
        {
            output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunNpmCiAsync(string root, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("npm") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            info.ArgumentList.Add(arg);
        }

        using var npm = Process.Start(info) ?? throw new InvalidOperationException("Could not start npm to install Azurite.");
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.StandardOutput.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' failed installing Azurite: {await stderr}");
        }
    }
}
