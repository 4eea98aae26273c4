using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Onboarding.Tests.Telemetry;

/// <summary>An OpenTelemetry processor that keeps every finished activity the Server's tracer provider samples.</summary>
public sealed class ActivityCollector : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> _activities = new();

    public IReadOnlyCollection<Activity> Activities => _activities;

    public override void OnEnd(Activity data) => _activities.Enqueue(data);
}
