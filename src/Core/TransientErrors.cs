using System.Globalization;
using Azure;

namespace Onboarding.Core;

/// <summary>
/// What counts as "not now" from an Azure service (Table Storage, Key Vault) once the SDK's own retries are spent, and
/// how long a client should be asked to wait. One rule set for every backing service, so the API answers an outage of
/// any of them the same way: 503 with a bounded Retry-After.
/// </summary>
internal static class TransientErrors
{
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>0 is a transport failure (no response); 408, 429 and 5xx are the service saying "not now".</summary>
    public static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    /// <summary>Azure.Core's retry policy aggregates the attempts' exceptions (transport failures, timeouts) once it gives up.</summary>
    public static bool IsTransient(AggregateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerExceptions.Count > 0
            && exception.InnerExceptions.All(e => e is RequestFailedException failed
                ? IsTransient(failed.Status)
                : e is OperationCanceledException or IOException or HttpRequestException);
    }

    /// <summary>The Retry-After a client should be given for this failure: the service's own when it sent one, within bounds.</summary>
    public static TimeSpan RetryAfter(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var response = exception.GetRawResponse();
        var delay = response is null ? null : ServerDelay(response);
        return delay is { } value ? Clamp(value) : DefaultRetryAfter;
    }

    /// <summary>The delay the server asked for: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? ServerDelay(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if ((response.Headers.TryGetValue("retry-after-ms", out var ms) || response.Headers.TryGetValue("x-ms-retry-after-ms", out ms))
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var retryAfter))
        {
            return null;
        }

        if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan Clamp(TimeSpan value) =>
        value < MinRetryAfter ? MinRetryAfter : value > MaxRetryAfter ? MaxRetryAfter : value;
}
