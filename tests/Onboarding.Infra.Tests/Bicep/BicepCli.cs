using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Onboarding.Infra.Tests.Bicep;

/// <summary>One finished run of the Bicep CLI.</summary>
internal sealed record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the Bicep CLI restored from the Azure.Bicep.CommandLine.linux-x64 package (its path is baked into the
/// assembly by the project file). Runs are serialised: each one is a large .NET process and the machines are small.
/// </summary>
internal static class BicepCli
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>The package ships a linux-x64 executable only.</summary>
    public static bool IsSupportedHere =>
        OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

    public static async Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments)
    {
        var executable = Executable.Value;
        await OneAtATime.WaitAsync();
        try
        {
            var startInfo = new ProcessStartInfo(executable)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"Could not start {executable}.");
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
            }

            return new BicepRun(
                "bicep " + string.Join(' ', arguments),
                process.ExitCode,
                await standardOutput,
                await standardError);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "BicepExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package was not found at '{path}'. Run dotnet restore.");
        }

        // NuGet does not promise to keep the executable bit when it extracts a package.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
