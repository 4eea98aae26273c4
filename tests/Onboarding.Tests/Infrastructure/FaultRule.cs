namespace Onboarding.Tests.Infrastructure;

/// <summary>
/// Which storage requests to fail: of those <paramref name="match"/> accepts, the first <paramref name="skip"/> pass,
/// the next <paramref name="times"/> get <paramref name="fault"/>, the rest pass again. The in-process pipeline policy
/// (<see cref="StorageProbe"/>) and the loopback proxy (<see cref="StorageFaultProxy"/>) count the same way.
/// </summary>
internal sealed class FaultRule<TRequest>(Func<TRequest, bool> match, StorageFault fault, int skip, int times)
{
    private int _seen;
    private int _failed;

    public StorageFault Fault { get; } = fault;

    public int Failed => Volatile.Read(ref _failed);

    public bool Take(TRequest request)
    {
        if (!match(request))
        {
            return false;
        }

        var index = Interlocked.Increment(ref _seen) - 1;
        if (index < skip || index - skip >= times)
        {
            return false;
        }

        Interlocked.Increment(ref _failed);
        return true;
    }
}
