using Azure;
using Azure.Identity;

namespace Onboarding.Core.ApiKeys;

// How vault failures become the service's errors, with one log line each and no value in any of them.
public sealed partial class KeyVaultSecretStore
{
    private async Task GuardAsync(string operation, string name, string provider, Func<Task> action, CancellationToken cancellationToken) =>
        await GuardAsync(operation, name, provider, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    /// <summary>Maps what survives the SDK's retries to <see cref="DependencyUnavailableException"/>; everything else propagates.</summary>
    private async Task<T> GuardAsync<T>(string operation, string name, string provider, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (RequestFailedException ex) when (TransientErrors.IsTransient(ex.Status))
        {
            var retryAfter = TransientErrors.RetryAfter(ex);
            LogUnavailable(_logger, ex, operation, name, provider, ex.Status, retryAfter);
            throw new DependencyUnavailableException(Dependency, retryAfter, ex);
        }
        catch (RequestFailedException ex) when (KeyVaultErrors.IsAccessDenied(ex.Status))
        {
            LogAccessDenied(_logger, ex, operation, name, provider, ex.Status);
            throw new DependencyUnavailableException(Dependency, KeyVaultErrors.AccessDeniedRetryAfter, ex);
        }
        catch (AggregateException ex) when (TransientErrors.IsTransient(ex))
        {
            LogUnreachable(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Soft-delete states are handled where they can occur; any other conflict is the vault refusing this change
            // now (a concurrent change of the same secret), not an error in the client's request: it may retry.
            LogConflict(_logger, ex, operation, name, provider, KeyVaultErrors.SoftDeleteConflict(ex) ?? ex.ErrorCode ?? "Conflict");
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's network timeout on the last attempt; the caller did not cancel.
            LogUnreachable(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (AuthenticationFailedException ex)
        {
            LogNoToken(_logger, ex, operation, name, provider);
            throw new DependencyUnavailableException(Dependency, KeyVaultErrors.AccessDeniedRetryAfter, ex);
        }
    }

    /// <summary>Secret names are <c>u-{UserKey}-{provider}</c>; the provider is the last segment.</summary>
    private static string ProviderOf(string name)
    {
        var dash = name.LastIndexOf('-');
        return dash >= 0 && dash < name.Length - 1 ? name[(dash + 1)..] : None;
    }
}
