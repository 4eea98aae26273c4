using Microsoft.Diagnostics.Tracing.Etlx;

namespace Onboarding.TraceReport;

/// <summary>
/// Which component owns a sample: scanning its stack from the leaf, the first frame of a known component. Frames of the
/// runtime, the BCL and the general-purpose libraries (System.Text.Json, HttpClient, sockets) own nothing, so JSON the
/// table client parses counts as the SDK's and a socket send under Kestrel as Kestrel's.
/// </summary>
internal static class Components
{
    public const string Unattributed = "not attributed to one component (runtime and BCL frames only)";

    // First match wins, so the more specific prefix comes first.
    private static readonly (string Prefix, string Component)[] Owners =
    [
        ("Onboarding.LoadTest", "the harness's HTTP client"),
        ("Onboarding.Testing", "the harness's HTTP client"),
        ("Onboarding.Core.Identity", "token validation"),
        ("Microsoft.IdentityModel", "token validation"),
        ("System.IdentityModel", "token validation"),
        ("Onboarding.Core.Onboarding", "step rules and the service"),
        ("Json.Schema", "step rules and the service"),
        ("Json.More", "step rules and the service"),
        ("Json.Pointer", "step rules and the service"),
        ("Onboarding.Core.ApiKeys", "step rules and the service"),
        ("Onboarding.Core.Storage", "storage mapping"),
        ("Onboarding.Core.Http", "request body and answer, the handlers' frame"),
        ("Onboarding.Core", "the service's other code"),
        ("Onboarding.Functions", "the Functions app's functions and middleware"),
        ("Onboarding.Server", "the Server's own code"),
        ("Microsoft.Azure.Functions.Worker", "the Functions worker's invocation pipeline"),
        ("Grpc.", "the Functions worker's invocation pipeline"),
        ("Azure.", "Azure SDK"),
        ("Microsoft.AspNetCore.Server.Kestrel", "Kestrel and sockets"),
        ("Microsoft.AspNetCore", "ASP.NET Core"),
        ("OpenTelemetry", "telemetry: OpenTelemetry"),
        ("Microsoft.Extensions.Logging", "logging"),
        ("Microsoft.Extensions.DependencyInjection", "dependency injection"),
    ];

    public static string Of(TraceCallStack? stack)
    {
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var name = frame.CodeAddress.FullMethodName ?? string.Empty;
            foreach (var (prefix, component) in Owners)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return component;
                }
            }
        }

        return Unattributed;
    }

    /// <summary>
    /// A sampled thread that is not working: a thread-pool worker waiting (or spinning before it waits) for work, or a
    /// thread blocked in the kernel. Such samples are counted apart, not charged to a component.
    /// </summary>
    public static bool IsIdle(TraceCallStack stack)
    {
        var leaf = stack.CodeAddress.FullMethodName ?? string.Empty;
        if (leaf.Length == 0 || Idle.Any(i => leaf.Contains(i, StringComparison.Ordinal)))
        {
            return true;
        }

        var depth = 0;
        for (var frame = stack; frame is not null && depth < 8; frame = frame.Caller, depth++)
        {
            var name = frame.CodeAddress.FullMethodName ?? string.Empty;
            if (Blocking.Any(b => name.Contains(b, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    // Leaf frames of a thread with nothing to do: the thread pool's wait (with its spin) and the GC's poll.
    private static readonly string[] Idle = ["LowLevelLifoSemaphore", "WorkerThreadStart", "PollGC"];

    // Frames of a thread blocked in the kernel: waits, sleeps, the socket engine's epoll loop, reads.
    private static readonly string[] Blocking =
    [
        "WaitNative", "WaitOneNoCheck", "Monitor.Wait", "Thread.Sleep", "EventLoop", "epoll", "Interop+Sys.WaitForSocketEvents",
        "Interop+Sys.Read", "WaitHandle.Wait", "ManualResetEventSlim.Wait", "LowLevelMonitor.Wait", "Interop+Sys.LowLevelMonitor_",
    ];
}
