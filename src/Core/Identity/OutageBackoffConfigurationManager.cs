using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Onboarding.Core.Identity;

/// <summary>
/// Shields the identity provider while it is down and no signing keys were ever read: at most one metadata fetch is in
/// flight, and after a failed one every request fails at once for <c>Auth:MetadataRetryDelay</c> without fetching, so
/// a stream of junk tokens cannot turn into a stream of metadata requests. Once keys are known, the inner
/// ConfigurationManager's own cache, refresh interval and last-known-good configuration take over.
/// </summary>
/// <remarks>
/// The back-off is this class's alone: IdentityModel's ConfigurationManager (8.x, default non-blocking mode) keeps
/// nothing of a failed first fetch and simply fetches again on the next call. That is what lets
/// <see cref="PrefetchAsync"/> run at start against an issuer that may not be up yet.
/// </remarks>
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
        return await FetchFirstAsync(backOffOnFailure: true, cancel);
    }

    /// <summary>
    /// Fetches the keys ahead of the first request (<see cref="IssuerKeysWarmup"/>). A failure is forgotten: it starts no
    /// back-off, so the first requests after an issuer comes up fetch for themselves instead of being refused. Requests
    /// that arrive while it is in flight wait for it, as they would for another request's fetch.
    /// </summary>
    public Task PrefetchAsync(CancellationToken cancel) => FetchFirstAsync(backOffOnFailure: false, cancel);

    /// <summary>The first fetch, one at a time; whoever waited behind a successful one gets its cached answer.</summary>
    private async Task<OpenIdConnectConfiguration> FetchFirstAsync(bool backOffOnFailure, CancellationToken cancel)
    {
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
            catch (InvalidOperationException) when (backOffOnFailure)
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
