using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Onboarding.Tests.KeyVault;

/// <summary>Azure.Core's retry policy with millisecond delays; a response's own Retry-After still sets a longer wait.</summary>
public sealed class FastRetryPolicy(int maxRetries) : RetryPolicy(maxRetries, new MillisecondDelay())
{
    private sealed class MillisecondDelay() : DelayStrategy(maxDelay: TimeSpan.FromMilliseconds(2), jitterFactor: 0)
    {
        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber) => TimeSpan.FromMilliseconds(1);
    }
}
