using System.Globalization;
using System.Text;

namespace Onboarding.LoadTest;

/// <summary>The run's figures as Markdown tables: endpoint against raw SDK per operation, then the soak.</summary>
internal static class Report
{
    public static void Write(
        StringBuilder report,
        LoadSettings settings,
        PhaseResult endpoints,
        PhaseResult raw,
        PhaseResult hopOnly,
        IReadOnlyList<RoundRatio> rounds,
        (double[] Endpoint, double[] Raw)? allocations,
        PhaseResult? soak,
        List<MemorySample>? samples,
        long requests,
        string loadBefore,
        string loadAfterMeasure,
        string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        report.AppendLine(c, $"Machine: {MachineInfo.Describe()}");
        report.AppendLine(c, $"Load average (1/5/15 min): {loadBefore} at start, {loadAfterMeasure} after the measured rounds, {loadAfter} at the end");
        report.AppendLine(c, $"Settings: {settings.Users} concurrent users per side, {settings.Duration.TotalSeconds:F0} s measured per side in {settings.Rounds} alternating rounds, " +
            $"warm-up {settings.Warmup.TotalSeconds:F0} s per side, step data {settings.StepDataBytes} B, {(settings.Soak > TimeSpan.Zero ? $"soak {settings.Soak.TotalSeconds:F0} s after {settings.SoakSettle.TotalSeconds:F0} s settle" : "no soak")}; {requests} requests in all");
        report.AppendLine();
        report.AppendLine("| operation | endpoint n | endpoint p50 ms | p95 | p99 | ops/s | raw SDK operation | raw n | raw p50 ms | p95 | p99 | ops/s | p50 ratio | p99 ratio |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < endpoints.Operations.Count; i++)
        {
            var e = endpoints.Latencies[i];
            var r = raw.Latencies[i];
            e.Sort();
            r.Sort();
            var (e50, e95, e99) = (Percentiles.Of(e, 50), Percentiles.Of(e, 95), Percentiles.Of(e, 99));
            var (r50, r95, r99) = (Percentiles.Of(r, 50), Percentiles.Of(r, 95), Percentiles.Of(r, 99));
            report.AppendLine(c,
                $"| {endpoints.Operations[i]} | {e.Count} | {e50:F1} | {e95:F1} | {e99:F1} | {e.Count / endpoints.Seconds:F0} " +
                $"| {raw.Operations[i]} | {r.Count} | {r50:F1} | {r95:F1} | {r99:F1} | {r.Count / raw.Seconds:F0} | {e50 / r50:F2} | {e99 / r99:F2} |");
        }

        var all = (Endpoint: endpoints.AllLatenciesSorted(), Raw: raw.AllLatenciesSorted());
        report.AppendLine(c,
            $"| **all three** | {all.Endpoint.Count} | {Percentiles.Of(all.Endpoint, 50):F1} | {Percentiles.Of(all.Endpoint, 95):F1} | {Percentiles.Of(all.Endpoint, 99):F1} | {all.Endpoint.Count / endpoints.Seconds:F0} " +
            $"| **all three** | {all.Raw.Count} | {Percentiles.Of(all.Raw, 50):F1} | {Percentiles.Of(all.Raw, 95):F1} | {Percentiles.Of(all.Raw, 99):F1} | {all.Raw.Count / raw.Seconds:F0} " +
            $"| {Percentiles.Of(all.Endpoint, 50) / Percentiles.Of(all.Raw, 50):F2} | {Percentiles.Of(all.Endpoint, 99) / Percentiles.Of(all.Raw, 99):F2} |");
        if (rounds.Count > 1)
        {
            report.AppendLine();
            report.AppendLine(c,
                $"Per round (all three operations): p50 ratio {Spread(rounds.Select(r => r.P50))}, p99 ratio {Spread(rounds.Select(r => r.P99))} (min / median / max of {rounds.Count} rounds).");
        }

        WriteFloor(report, settings, endpoints, raw, hopOnly);

        report.AppendLine();
        report.AppendLine(c,
            $"Wizard iterations (init + save + complete) per second: endpoints {endpoints.Iterations / endpoints.Seconds:F1}, raw SDK {raw.Iterations / raw.Seconds:F1} " +
            $"(ratio {raw.Iterations / raw.Seconds / (endpoints.Iterations / endpoints.Seconds):F2}). Errors: endpoints {endpoints.Errors}, raw {raw.Errors}.");
        report.AppendLine();
        report.AppendLine(c,
            $"CPU per wizard iteration: endpoints {Ms(endpoints.Cpu.Self, endpoints.Iterations)} ms in this process ({(endpoints.Cpu.Worker > TimeSpan.Zero ? "client + test host" : "Server + client + SDK")}), {Ms(endpoints.Cpu.Worker, endpoints.Iterations)} ms in the Functions worker and {Ms(endpoints.Cpu.Azurite, endpoints.Iterations)} ms in Azurite; " +
            $"raw SDK {Ms(raw.Cpu.Self, raw.Iterations)} ms in this process and {Ms(raw.Cpu.Azurite, raw.Iterations)} ms in Azurite. " +
            $"CPU busy: endpoints {Busy(endpoints)}, raw {Busy(raw)} of {Environment.ProcessorCount} cores. " +
            $"Taken by the hypervisor (steal): endpoints {Stolen(endpoints)}, raw {Stolen(raw)} of the cores' time.");
        report.AppendLine();
        report.AppendLine(c,
            $"Allocated per wizard iteration in this process: endpoints {Kib(endpoints.Gc.AllocatedBytes, endpoints.Iterations)} KiB, raw SDK {Kib(raw.Gc.AllocatedBytes, raw.Iterations)} KiB. " +
            $"GC: endpoints {endpoints.Gc.Gen0}/{endpoints.Gc.Gen1}/{endpoints.Gc.Gen2} collections (gen 0/1/2), paused {endpoints.Gc.Paused.TotalMilliseconds:F0} ms " +
            $"({endpoints.Gc.Paused.TotalSeconds * 100 / endpoints.Seconds:F1}% of the time); raw SDK {raw.Gc.Gen0}/{raw.Gc.Gen1}/{raw.Gc.Gen2}, paused {raw.Gc.Paused.TotalMilliseconds:F0} ms " +
            $"({raw.Gc.Paused.TotalSeconds * 100 / raw.Seconds:F1}%).");

        if (allocations is { } allocated)
        {
            report.AppendLine();
            report.AppendLine(c, $"Allocated per operation, one user, no concurrency ({settings.AllocationIterations} runs each after as many unmeasured):");
            report.AppendLine();
            report.AppendLine("| operation | endpoint KiB | raw SDK operation | raw KiB | endpoint − raw KiB |");
            report.AppendLine("|---|---:|---|---:|---:|");
            for (var i = 0; i < endpoints.Operations.Count; i++)
            {
                report.AppendLine(c,
                    $"| {endpoints.Operations[i]} | {allocated.Endpoint[i] / 1024:F1} | {raw.Operations[i]} | {allocated.Raw[i] / 1024:F1} | {(allocated.Endpoint[i] - allocated.Raw[i]) / 1024:F1} |");
            }
        }

        if (soak is null || samples is null || samples.Count < 2)
        {
            return;
        }

        var start = samples[0];
        var end = samples[^1];
        var drift = (end.WorkingSet - start.WorkingSet) * 100.0 / start.WorkingSet;
        report.AppendLine();
        report.AppendLine(c,
            $"Soak: {soak.Seconds:F0} s, {soak.Iterations} iterations ({soak.Iterations / soak.Seconds:F1}/s), {soak.Errors} errors. " +
            $"Working set {MemorySample.MiB(start.WorkingSet)} MiB at start, {MemorySample.MiB(end.WorkingSet)} MiB at end ({drift:+0.0;-0.0}%), " +
            $"min {MemorySample.MiB(samples.Min(s => s.WorkingSet))}, max {MemorySample.MiB(samples.Max(s => s.WorkingSet))} MiB; " +
            $"{(Math.Abs(drift) <= 10 ? "flat within 10%" : "NOT flat within 10%")}. Gen 2 collections during the soak: {end.Gen2Collections - start.Gen2Collections}.");
        report.AppendLine();
        report.AppendLine("| t (s) | working set MiB | managed heap MiB | GC committed MiB | heap after last gen 2 GC MiB | threads |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var sample in samples)
        {
            report.AppendLine(c,
                $"| {sample.At.TotalSeconds:F0} | {MemorySample.MiB(sample.WorkingSet)} | {MemorySample.MiB(sample.ManagedHeap)} | {MemorySample.MiB(sample.GcCommitted)} | {MemorySample.MiB(sample.HeapAfterGen2)} | {sample.Threads} |");
        }
    }

    /// <summary>
    /// Each operation against its floor: endpoint − raw SDK − hop, where the hop is the same client's loopback exchange
    /// of <c>GET health</c> timed in the same loop; and the CPU the host spends per request beyond the raw SDK's work
    /// and the hop's (whose CPU per request comes from the hop-alone phase).
    /// </summary>
    private static void WriteFloor(StringBuilder report, LoadSettings settings, PhaseResult endpoints, PhaseResult raw, PhaseResult hopOnly)
    {
        var c = CultureInfo.InvariantCulture;
        if (endpoints.Hops.Count == 0)
        {
            return;
        }

        var hop = endpoints.HopLatencies[0].Order().ToList();
        var (h50, h99) = (Percentiles.Of(hop, 50), Percentiles.Of(hop, 99));
        report.AppendLine();
        report.AppendLine(c, $"Against the floor, at {settings.Users} users: hop = {endpoints.Hops[0]}, p50 {h50:F2} ms, p99 {h99:F2} ms ({hop.Count} requests, timed in the endpoint loop).");
        for (var i = 1; i < endpoints.Hops.Count; i++)
        {
            var other = endpoints.HopLatencies[i].Order().ToList();
            report.AppendLine(c, $"{endpoints.Hops[i]}: p50 {Percentiles.Of(other, 50):F2} ms, p99 {Percentiles.Of(other, 99):F2} ms; so forwarding to the worker (HTTP to the worker + the invocation over gRPC + the worker's health function) adds {h50 - Percentiles.Of(other, 50):F2} ms at p50.");
        }

        report.AppendLine();
        report.AppendLine("| operation | endpoint p50 ms | raw p50 ms | **endpoint − raw − hop, p50 ms** | endpoint p99 | raw p99 | endpoint − raw − hop, p99 ms |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < endpoints.Operations.Count; i++)
        {
            var e = endpoints.Latencies[i].Order().ToList();
            var r = raw.Latencies[i].Order().ToList();
            var (e50, r50, e99, r99) = (Percentiles.Of(e, 50), Percentiles.Of(r, 50), Percentiles.Of(e, 99), Percentiles.Of(r, 99));
            report.AppendLine(c, $"| {endpoints.Operations[i]} | {e50:F2} | {r50:F2} | **{e50 - r50 - h50:F2}** | {e99:F2} | {r99:F2} | {e99 - r99 - h99:F2} |");
        }

        // CPU: in the Server's case everything is this process; in the Functions case the worker is a child process
        // and this process holds the client, the test host and (raw side) the SDK calls.
        var perHop = hopOnly.Latencies[0].Count;
        var hopsPerIteration = endpoints.Hops.Count;
        double PerIteration(TimeSpan cpu, long iterations) => cpu.TotalMilliseconds / Math.Max(1, iterations);
        double PerHop(TimeSpan cpu) => cpu.TotalMilliseconds / Math.Max(1, perHop);
        var worker = endpoints.Cpu.Worker > TimeSpan.Zero;
        var service = worker
            ? (Endpoint: PerIteration(endpoints.Cpu.Worker, endpoints.Iterations), Hop: PerHop(hopOnly.Cpu.Worker))
            : (Endpoint: PerIteration(endpoints.Cpu.Self, endpoints.Iterations), Hop: PerHop(hopOnly.Cpu.Self));
        var rawCpu = PerIteration(raw.Cpu.Self, raw.Iterations);
        var ops = endpoints.Operations.Count;

        // An endpoint iteration is its hops plus the operations; each operation's floor is its raw SDK work plus one hop.
        // The Functions case counts only the worker, where the hop-alone phase's test-host share is not.
        var hopsInIteration = worker ? 1 : hopsPerIteration;
        var extra = (service.Endpoint - ((hopsInIteration + ops) * service.Hop) - rawCpu) / ops;
        report.AppendLine();
        report.AppendLine(c,
            $"CPU per request {(worker ? "in the Functions worker" : "in this process (Server + client + SDK)")}: endpoint iteration ({hopsPerIteration} hop(s) + {ops} operations) {service.Endpoint:F2} ms; " +
            $"raw SDK iteration {rawCpu:F2} ms (in this process); hop alone {service.Hop:F3} ms per request{(worker ? $" in the worker, {PerHop(hopOnly.Cpu.Self):F3} ms in this process (client + test host)" : "")}. " +
            $"**Extra CPU per request beyond the raw SDK work and the hop: {extra:F2} ms.**");
    }

    private static string Ms(TimeSpan cpu, long iterations) => (cpu.TotalMilliseconds / Math.Max(1, iterations)).ToString("F2", CultureInfo.InvariantCulture);

    private static string Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:F2} / {median:F2} / {sorted[^1]:F2}");
    }

    private static string Kib(long bytes, long iterations) => (bytes / 1024.0 / Math.Max(1, iterations)).ToString("F1", CultureInfo.InvariantCulture);

    private static string Stolen(PhaseResult phase)
        => (phase.Cpu.Stolen.TotalSeconds * 100 / (phase.Seconds * Environment.ProcessorCount)).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Busy(PhaseResult phase) => ((phase.Cpu.Self + phase.Cpu.Children).TotalSeconds / phase.Seconds).ToString("F2", CultureInfo.InvariantCulture);
}
