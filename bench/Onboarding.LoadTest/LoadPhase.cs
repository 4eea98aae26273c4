using System.Diagnostics;

namespace Onboarding.LoadTest;

/// <summary>Latencies (milliseconds) of each operation of a workload, and what the phase got through.</summary>
internal sealed class PhaseResult(IReadOnlyList<string> operations, IReadOnlyList<string>? hops = null)
{
    public IReadOnlyList<string> Operations { get; } = operations;

    public List<double>[] Latencies { get; } = operations.Select(_ => new List<double>()).ToArray();

    public IReadOnlyList<string> Hops { get; } = hops ?? [];

    /// <summary>Latencies of the workload's hops (see <see cref="IWorkload.Hops"/>), apart from the operations'.</summary>
    public List<double>[] HopLatencies { get; } = (hops ?? []).Select(_ => new List<double>()).ToArray();

    public long Iterations { get; private set; }

    public long Errors { get; private set; }

    public double Seconds { get; private set; }

    public CpuTime Cpu { get; private set; }

    public GcActivity Gc { get; private set; }

    /// <summary>Every operation's latencies together, sorted.</summary>
    public List<double> AllLatenciesSorted() => Latencies.SelectMany(l => l).Order().ToList();

    public void Add(PhaseResult other)
    {
        for (var i = 0; i < Latencies.Length; i++)
        {
            Latencies[i].AddRange(other.Latencies[i]);
        }

        for (var i = 0; i < HopLatencies.Length; i++)
        {
            HopLatencies[i].AddRange(other.HopLatencies[i]);
        }

        Iterations += other.Iterations;
        Errors += other.Errors;
        Seconds += other.Seconds;
        Cpu += other.Cpu;
        Gc += other.Gc;
    }

    public void Record(long iterations, long errors, double seconds, CpuTime cpu, GcActivity gc)
    {
        Iterations += iterations;
        Errors += errors;
        Seconds += seconds;
        Cpu += cpu;
        Gc += gc;
    }
}

/// <summary>
/// Runs a workload with one concurrent loop per virtual user for a fixed time, or until the shared request budget is
/// spent, whichever comes first. Each loop runs the workload's operations in order and times each one.
/// </summary>
internal static class LoadPhase
{
    public static async Task<PhaseResult> RunAsync(IWorkload workload, TimeSpan duration, RequestBudget budget, CancellationToken cancellationToken)
    {
        var result = new PhaseResult(workload.Operations, workload.Hops);
        var perWorker = new PhaseResult[workload.Workers];
        var cpu = CpuTime.Now();
        var gc = GcActivity.Now();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var iterations = 0L;
        var errors = 0L;

        await Task.WhenAll(Enumerable.Range(0, workload.Workers).Select(worker => Task.Run(async () =>
        {
            var local = perWorker[worker] = new PhaseResult(workload.Operations, workload.Hops);
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                for (var hop = 0; hop < workload.Hops.Count; hop++)
                {
                    if (!budget.TryTake())
                    {
                        return;
                    }

                    var sent = Stopwatch.GetTimestamp();
                    bool answered;
                    try
                    {
                        answered = await workload.HopAsync(worker, hop, cancellationToken);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        answered = false;
                    }

                    local.HopLatencies[hop].Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    if (!answered)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }

                for (var op = 0; op < workload.Operations.Count; op++)
                {
                    if (!budget.TryTake())
                    {
                        return;
                    }

                    var before = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await workload.RunAsync(worker, op, cancellationToken);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or Azure.RequestFailedException or TaskCanceledException or InvalidOperationException)
                    {
                        ok = false;
                    }

                    local.Latencies[op].Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }

                Interlocked.Increment(ref iterations);
            }
        }, cancellationToken)));

        foreach (var local in perWorker)
        {
            result.Add(local);
        }

        result.Record(iterations, errors, Stopwatch.GetElapsedTime(started).TotalSeconds, CpuTime.Now() - cpu, GcActivity.Now() - gc);
        return result;
    }
}

/// <summary>A hard cap on the requests the whole run may send, so it is bounded in count as well as in time.</summary>
internal sealed class RequestBudget(long requests)
{
    private readonly long _total = requests;
    private long _left = requests;

    public long Used => _total - Math.Max(0, Volatile.Read(ref _left));

    public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
}

/// <summary>One round's endpoint p50 and p99 over the raw SDK's, all operations together.</summary>
internal readonly record struct RoundRatio(double P50, double P99)
{
    public static RoundRatio Of(PhaseResult endpoints, PhaseResult raw)
    {
        var e = endpoints.AllLatenciesSorted();
        var r = raw.AllLatenciesSorted();
        return new(Percentiles.Of(e, 50) / Percentiles.Of(r, 50), Percentiles.Of(e, 99) / Percentiles.Of(r, 99));
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of an already sorted list.</summary>
    public static double Of(List<double> sorted, double percentile)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
