using System.Diagnostics;

namespace Onboarding.Tests.Web;

/// <summary>
/// Finds a Chromium for Playwright to drive. Playwright's own browser download is never used (it needs the internet);
/// a system Chromium is, and on Debian as root a missing one is installed with apt-get (bounded in time).
/// </summary>
public static class Chromium
{
    /// <summary>Flags for a quiet headless run that makes no network calls of its own.</summary>
    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome-stable", "/usr/bin/google-chrome"];
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _installFailure;

    /// <summary>The path of a Chromium executable, or null with the reason none could be found or installed.</summary>
    public static async Task<(string? Path, string Reason)> LocateAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? (configured, string.Empty) : (null, $"CHROMIUM_PATH is set to '{configured}', which does not exist.");
        }

        if (Find() is { } found)
        {
            return (found, string.Empty);
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (Find() is { } installedMeanwhile)
            {
                return (installedMeanwhile, string.Empty);
            }

            _installFailure ??= await InstallAsync(cancellationToken);
            return Find() is { } installed ? (installed, string.Empty) : (null, _installFailure);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string? Find() => Candidates.FirstOrDefault(File.Exists);

    /// <summary>apt-get install chromium (after apt-get update when the package is unknown); the failure reason, or "" on success.</summary>
    private static async Task<string> InstallAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get"))
        {
            return "No Chromium found at " + string.Join(", ", Candidates) + " and this is not a Debian-like system where it could be installed. Install Chromium or set CHROMIUM_PATH.";
        }

        if (!IsRoot())
        {
            return "No Chromium found at " + string.Join(", ", Candidates) + " and the tests do not run as root, so they cannot install it. Run: sudo apt-get install -y chromium (or set CHROMIUM_PATH).";
        }

        var install = await RunAsync("apt-get", "install -y --no-install-recommends chromium", TimeSpan.FromMinutes(5), cancellationToken);
        if (install.ExitCode == 0)
        {
            return string.Empty;
        }

        var update = await RunAsync("apt-get", "update", TimeSpan.FromMinutes(3), cancellationToken);
        if (update.ExitCode != 0)
        {
            return $"apt-get update failed ({update.ExitCode}): {update.Output}";
        }

        install = await RunAsync("apt-get", "install -y --no-install-recommends chromium", TimeSpan.FromMinutes(5), cancellationToken);
        return install.ExitCode == 0 ? string.Empty : $"apt-get install -y chromium failed ({install.ExitCode}): {install.Output}";
    }

    private static bool IsRoot()
    {
        // /proc/self/status "Uid: real effective saved fs"
        var uid = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            : null;
        var fields = uid?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 2 } && fields[2] == "0";
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {arguments} did not finish within {timeout.TotalMinutes:0} minutes.");
        }

        var output = (await stdout + await stderr).Trim();
        return (process.ExitCode, output.Length > 2000 ? output[^2000..] : output);
    }
}
