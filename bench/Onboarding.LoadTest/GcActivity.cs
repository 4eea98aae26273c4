namespace Onboarding.LoadTest;

/// <summary>
/// What the garbage collector did in this process (Server, load generator and SDK calls): bytes allocated, collections
/// per generation and the time threads were paused, so a phase can say how much of its cost was allocation.
/// </summary>
internal readonly record struct GcActivity(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcActivity Now() => new(
        GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcActivity operator -(GcActivity after, GcActivity before) => new(
        after.AllocatedBytes - before.AllocatedBytes, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused);

    public static GcActivity operator +(GcActivity a, GcActivity b) => new(
        a.AllocatedBytes + b.AllocatedBytes, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.Paused + b.Paused);
}
