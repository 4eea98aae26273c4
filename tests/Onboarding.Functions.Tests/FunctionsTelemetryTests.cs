using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>
/// The Functions app's OpenTelemetry, on the host Program.cs builds, with an in-memory exporter beside the app's own:
/// the Server's sources (ASP.NET Core, HttpClient, the Azure SDK) and the worker's invocation source are recorded, a
/// Table Storage call made through Core's client lands in the current trace, and nothing secret is recorded.
/// </summary>
public sealed class FunctionsTelemetryTests
{
    /// <summary>The sources the Server traces (through Core) and the worker's own.</summary>
    public static TheoryData<string> TracedSources() =>
    [
        "Azure.Data.Tables.TableServiceClient",
        "Azure.Data.Tables.TableClient",
        "Azure.Security.KeyVault.Secrets.SecretClient",
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Microsoft.Azure.Functions.Worker",
    ];

    [Theory]
    [MemberData(nameof(TracedSources))]
    public void Tracer_records_the_Core_sources_and_the_worker_source_in_the_current_trace(string source)
    {
        var exported = new List<Activity>();
        using var host = BuildWithInMemoryExporter(exported);
        using var activitySource = new ActivitySource(source);

        var traceId = RecordOneActivity(host, activitySource);

        Assert.Single(exported, a => a.TraceId == traceId && a.Source.Name == source);
    }

    [Fact]
    public void Tracer_leaves_out_sources_it_was_not_configured_for()
    {
        var exported = new List<Activity>();
        using var host = BuildWithInMemoryExporter(exported);
        using var activitySource = new ActivitySource("Onboarding.Functions.Tests.NotConfigured");

        var traceId = RecordOneActivity(host, activitySource);

        Assert.DoesNotContain(exported, a => a.TraceId == traceId);
    }

    [Fact]
    public async Task A_Table_Storage_call_through_Cores_client_is_traced_without_the_account_key()
    {
        var exported = new List<Activity>();
        using var host = BuildWithInMemoryExporter(exported);
        var provider = host.Services.GetRequiredService<TracerProvider>();
        var tables = host.Services.GetRequiredService<TableServiceClient>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var parent = new ActivitySource("Microsoft.Azure.Functions.Worker").StartActivity("Invoke GetStatus");
        Assert.NotNull(parent);

        // Cancelled before it is sent, so nothing leaves the process; the SDK has opened and failed its span by then.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            tables.GetTableClient("onboarding").GetEntityIfExistsAsync<TableEntity>("alice", "progress", cancellationToken: cancelled.Token));
        parent.Stop();
        provider.ForceFlush();

        var storage = Assert.Single(exported, a => a.TraceId == parent.TraceId && a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        Assert.Equal(parent.SpanId, storage.ParentSpanId);
        var recorded = string.Join('\n', exported.Where(a => a.TraceId == parent.TraceId).SelectMany(Describe));
        Assert.DoesNotContain("AccountKey", recorded, StringComparison.OrdinalIgnoreCase);
        // The start of the storage emulator's published development key, which UseDevelopmentStorage=true stands for.
        Assert.DoesNotContain("Eby8vdM02xNOcqF", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", recorded, StringComparison.OrdinalIgnoreCase);
    }

    private static IHost BuildWithInMemoryExporter(List<Activity> exported) =>
        FunctionsAppHost.Build(
            FunctionsAppHost.Settings("http://127.0.0.1:1/"),
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));

    /// <summary>Starts and stops one activity of <paramref name="source"/> under a new root; returns its trace id.</summary>
    private static ActivityTraceId RecordOneActivity(IHost host, ActivitySource source)
    {
        var provider = host.Services.GetRequiredService<TracerProvider>();
        var root = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        source.StartActivity("probe", ActivityKind.Internal, root)?.Stop();
        provider.ForceFlush();
        return root.TraceId;
    }

    private static IEnumerable<string> Describe(Activity activity) =>
        [
            activity.DisplayName,
            activity.StatusDescription ?? string.Empty,
            .. activity.TagObjects.Select(t => $"{t.Key}={t.Value}"),
            .. activity.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")),
        ];
}
