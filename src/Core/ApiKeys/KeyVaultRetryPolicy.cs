using Azure.Core;
using Azure.Core.Pipeline;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// Azure.Core's retry policy, except that it does not sleep through a server Retry-After longer than
/// <paramref name="maxServerDelay"/>. Azure.Core honours any Retry-After (a throttled vault may ask for 30 s or more),
/// which would hold the client's request for that long; such an answer is returned at once instead, and the store turns
/// it into a 503 that passes the vault's Retry-After on to the client.
/// </summary>
internal sealed class KeyVaultRetryPolicy(int maxRetries, DelayStrategy delayStrategy, TimeSpan maxServerDelay)
    : RetryPolicy(maxRetries, delayStrategy)
{
    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        !AsksToWaitTooLong(message) && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        AsksToWaitTooLong(message) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

    private bool AsksToWaitTooLong(HttpMessage message) =>
        message.HasResponse && TransientErrors.ServerDelay(message.Response) is { } delay && delay > maxServerDelay;
}
