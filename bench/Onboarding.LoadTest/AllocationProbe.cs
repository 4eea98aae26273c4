namespace Onboarding.LoadTest;

/// <summary>
/// Bytes this process allocates for one operation, measured without concurrency: one virtual user runs each operation
/// a number of times in a row (after as many unmeasured runs, so the code is jitted and pools are filled). Unlike
/// latencies, these figures hardly depend on how busy the machine is.
/// </summary>
internal static class AllocationProbe
{
    public static async Task<double[]> MeasureAsync(IWorkload workload, int iterations, CancellationToken cancellationToken)
    {
        var perOperation = new double[workload.Operations.Count];
        for (var operation = 0; operation < perOperation.Length; operation++)
        {
            for (var i = 0; i < iterations; i++)
            {
                await RunAsync(workload, operation, cancellationToken);
            }

            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < iterations; i++)
            {
                await RunAsync(workload, operation, cancellationToken);
            }

            perOperation[operation] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)iterations;
        }

        return perOperation;
    }

    private static async Task RunAsync(IWorkload workload, int operation, CancellationToken cancellationToken)
    {
        if (!await workload.RunAsync(0, operation, cancellationToken))
        {
            throw new InvalidOperationException($"{workload.Name}: '{workload.Operations[operation]}' failed while measuring allocations.");
        }
    }
}
