namespace Onboarding.Tests.Infrastructure;

/// <summary>An armed fault of a <see cref="StorageFaultProxy"/>: how often it struck; disposing it heals the proxy.</summary>
public sealed class InjectedStorageFault : IDisposable
{
    private readonly StorageFaultProxy _proxy;

    internal InjectedStorageFault(FaultRule<StorageRequest> rule, TimeSpan? retryAfter, bool afterLanding, StorageFaultProxy proxy)
    {
        Rule = rule;
        RetryAfter = retryAfter;
        AfterLanding = afterLanding;
        _proxy = proxy;
    }

    /// <summary>Requests this fault failed so far.</summary>
    public int Failed => Rule.Failed;

    internal FaultRule<StorageRequest> Rule { get; }

    internal TimeSpan? RetryAfter { get; }

    internal bool AfterLanding { get; }

    public void Dispose() => _proxy.Heal(this);
}
