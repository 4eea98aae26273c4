using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Onboarding.TraceReport;

/// <summary>The trace's allocation ticks (bytes) and CPU samples, each charged to the component that owns it.</summary>
internal sealed class Profile
{
    public Dictionary<string, long> AllocatedBytes { get; } = [];

    public Dictionary<string, long> WorkSamples { get; } = [];

    public long IdleSamples { get; private set; }

    public double DurationSeconds { get; private set; }

    /// <summary>Of the allocations and the work, how much has a frame whose name contains <see cref="Frame"/> on its stack.</summary>
    public string? Frame { get; private init; }

    public long FrameBytes { get; private set; }

    public long FrameSamples { get; private set; }

    public static Profile Read(string path, string? frame)
    {
        var profile = new Profile { Frame = frame };
        var etlx = TraceLog.CreateFromEventPipeDataFile(path);
        using var log = new TraceLog(etlx);
        profile.DurationSeconds = log.SessionDuration.TotalSeconds;
        foreach (var e in log.Events)
        {
            if (e is GCAllocationTickTraceData tick)
            {
                var bytes = tick.AllocationAmount64 > 0 ? tick.AllocationAmount64 : tick.AllocationAmount;
                Add(profile.AllocatedBytes, Components.Of(e.CallStack()), bytes);
                profile.FrameBytes += profile.Under(e.CallStack()) ? bytes : 0;
            }
            else if (e.ProviderName == "Microsoft-DotNETCore-SampleProfiler" && e.CallStack() is { } stack)
            {
                if (Components.IsIdle(stack))
                {
                    profile.IdleSamples++;
                }
                else
                {
                    Add(profile.WorkSamples, Components.Of(stack), 1);
                    profile.FrameSamples += profile.Under(stack) ? 1 : 0;
                }
            }
        }

        return profile;
    }

    private bool Under(TraceCallStack? stack)
    {
        for (var frame = stack; Frame is not null && frame is not null; frame = frame.Caller)
        {
            if (frame.CodeAddress.FullMethodName?.Contains(Frame, StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(Dictionary<string, long> totals, string key, long amount) =>
        totals[key] = totals.GetValueOrDefault(key) + amount;
}
