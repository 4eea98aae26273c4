using Azure;

namespace Onboarding.Core.Storage;

/// <summary>Maps Table Storage failures that survive the SDK's retries to <see cref="DependencyUnavailableException"/>.</summary>
internal static class StorageErrors
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation, string dependency = "Table Storage")
    {
        try
        {
            return await operation();
        }
        catch (RequestFailedException ex) when (TransientErrors.IsTransient(ex.Status))
        {
            throw new DependencyUnavailableException(dependency, TransientErrors.RetryAfter(ex), ex);
        }
        catch (AggregateException ex) when (TransientErrors.IsTransient(ex))
        {
            // Azure.Core's retry policy aggregates the attempts' failures once it gives up.
            throw new DependencyUnavailableException(dependency, TransientErrors.DefaultRetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DependencyUnavailableException(dependency, TransientErrors.DefaultRetryAfter, ex);
        }
    }
}
