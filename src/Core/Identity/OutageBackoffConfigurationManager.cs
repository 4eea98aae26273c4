using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Onboarding.Core.Identity;

/// <summary>
/// Shields the identity provider while it is down and no signing keys were ever read: at most one metadata fetch is in
/// flight, and after a failed one every request fails at once for <c>Auth:MetadataRetryDelay</c> without fetching, so
/// a stream of junk tokens cannot turn into a stream of metadata requests. Once keys are known, the inner
/// ConfigurationManager's own cache, refresh interval and last-known-good configuration take over.
/// </summary>
internal sealed class OutageBackoffConfigurationManager(
    IConfigurationManager<OpenIdConnectConfiguration> inner, TimeSpan retryDelay, TimeProvider time)
    : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile bool _hasConfiguration;
    private long _retryAfterTicks = long.MinValue;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_hasConfiguration)
        {
            return await inner.GetConfigurationAsync(cancel);
        }

        ThrowWhileBackingOff();
        await _fetch.WaitAsync(cancel);
        try
        {
            // Requests that queued behind a failed fetch share its answer instead of fetching again.
            ThrowWhileBackingOff();
            if (_hasConfiguration)
            {
                return await inner.GetConfigurationAsync(cancel);
            }

            try
            {
                var configuration = await inner.GetConfigurationAsync(cancel);
                _hasConfiguration = true;
                return configuration;
            }
            catch (InvalidOperationException)
            {
                Interlocked.Exchange(ref _retryAfterTicks, time.GetUtcNow().UtcTicks + retryDelay.Ticks);
                throw;
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    public void RequestRefresh() => inner.RequestRefresh();

    public void Dispose() => _fetch.Dispose();

    private void ThrowWhileBackingOff()
    {
        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _retryAfterTicks))
        {
            throw new InvalidOperationException("The identity provider's metadata could not be read recently; not retrying yet.");
        }
    }
}
