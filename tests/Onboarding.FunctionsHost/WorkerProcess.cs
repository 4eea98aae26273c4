using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Onboarding.FunctionsHost;

/// <summary>
/// The worker as its own process, started the way the Functions host starts a dotnet-isolated worker:
/// <c>dotnet Onboarding.Functions.dll</c> in its output folder, the host's <c>--functions-*</c> arguments, and the app
/// settings as environment variables. Its output is kept (the last lines) for error messages.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 400;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>Completes when the worker process ends, for whatever reason.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The worker's last lines of standard output and error.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static WorkerProcess Start(WorkerLaunch launch)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = launch.WorkerDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(launch.WorkerDirectory, launch.WorkerAssembly));

        // The arguments worker 2.x reads (GrpcWorkerStartupOptions, through its command-line switch mappings).
        info.ArgumentList.Add("--functions-uri");
        info.ArgumentList.Add(launch.HostEndpoint.AbsoluteUri);
        info.ArgumentList.Add("--functions-worker-id");
        info.ArgumentList.Add(launch.WorkerId);
        info.ArgumentList.Add("--functions-request-id");
        info.ArgumentList.Add(launch.RequestId);
        info.ArgumentList.Add("--functions-grpc-max-message-length");
        info.ArgumentList.Add(int.MaxValue.ToString(CultureInfo.InvariantCulture));

        // What the host puts into every worker's environment, then the app settings; nothing else of this process's
        // own configuration leaks in (ASPNETCORE_*/DOTNET_* of a test run would change the worker's web host).
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal)
                || name.StartsWith("AZURE_FUNCTIONS_", StringComparison.Ordinal))
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        info.Environment["FUNCTIONS_WORKER_DIRECTORY"] = launch.WorkerDirectory;
        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = launch.WorkerDirectory;
        info.Environment["AzureWebJobsScriptRoot"] = launch.WorkerDirectory;
        info.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = launch.Environment;
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in launch.AppSettings)
        {
            // App settings reach a worker as environment variables, where ':' is spelled '__'.
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start 'dotnet' for the Functions worker.");
        }

        worker.Exited = process.WaitForExitAsync();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
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
            // Never started or already gone.
        }
        catch (TimeoutException)
        {
            // The kill was sent; nothing more can be done.
        }

        _process.Dispose();
    }
}

/// <summary>How to start one worker.</summary>
public sealed record WorkerLaunch(
    string WorkerDirectory,
    string WorkerAssembly,
    Uri HostEndpoint,
    string WorkerId,
    string RequestId,
    string Environment,
    IReadOnlyDictionary<string, string?> AppSettings);
