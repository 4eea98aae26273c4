using Azure;

namespace Onboarding.Core.Storage;

/// <summary>Maps Table Storage failures that survive the SDK's retries to <see cref="DependencyUnavailableException"/>.</summary>
internal static class StorageErrors
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation, string dependency = "Table Storage")
    {
        try
        {
            return await operation();
        }
        catch (RequestFailedException ex) when (IsTransient(ex.Status))
        {
            throw new DependencyUnavailableException(dependency, RetryAfter(ex), ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException { Status: var s } && IsTransient(s) || e is HttpRequestException))
        {
            // Azure.Core's retry policy aggregates the attempts' failures once it gives up.
            throw new DependencyUnavailableException(dependency, DefaultRetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DependencyUnavailableException(dependency, DefaultRetryAfter, ex);
        }
    }

    /// <summary>0 is a transport failure (no response); 408, 429 and 5xx are the service saying "not now".</summary>
    private static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    private static TimeSpan RetryAfter(RequestFailedException ex)
    {
        if (ex.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var value) == true
            && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 60));
        }

        return DefaultRetryAfter;
    }
}
