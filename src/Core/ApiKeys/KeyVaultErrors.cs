using System.Globalization;
using System.Text.Json;
using Azure;

namespace Onboarding.Core.ApiKeys;

/// <summary>How Key Vault says "not now", "not allowed" and "this name is in soft delete".</summary>
internal static class KeyVaultErrors
{
    /// <summary>409 inner error: the name belongs to a soft-deleted secret; it can only be recovered or purged.</summary>
    public const string ObjectIsDeletedButRecoverable = "ObjectIsDeletedButRecoverable";

    /// <summary>409 inner error: a delete (or purge) of the name is still under way.</summary>
    public const string ObjectIsBeingDeleted = "ObjectIsBeingDeleted";

    /// <summary>409 inner error: a recovery of the name is still under way.</summary>
    public const string ObjectIsBeingRecovered = "ObjectIsBeingRecovered";

    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A refused identity is an operator's problem, not the client's: role assignments take minutes to propagate after a
    /// deployment, so clients are asked to come back later rather than told their request was wrong.
    /// </summary>
    public static readonly TimeSpan AccessDeniedRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>0 is a transport failure (no response); 408, 429 and 5xx are the service saying "not now".</summary>
    public static bool IsTransient(int status) => status is 0 or 408 or 429 or >= 500;

    /// <summary>401 after the bearer challenge means the token was rejected; 403 means the identity has no role on the vault.</summary>
    public static bool IsAccessDenied(int status) => status is 401 or 403;

    /// <summary>Azure.Core's retry policy aggregates the attempts' exceptions (transport failures, timeouts) once it gives up.</summary>
    public static bool IsTransient(AggregateException exception) =>
        exception.InnerExceptions.Count > 0
        && exception.InnerExceptions.All(e => e is RequestFailedException failed
            ? IsTransient(failed.Status)
            : e is OperationCanceledException or IOException or HttpRequestException);

    /// <summary>
    /// The soft-delete state a 409 reports, or null for any other conflict. Key Vault puts it in
    /// <c>error.innererror.code</c> under the generic <c>error.code</c> "Conflict", which is all
    /// <see cref="RequestFailedException.ErrorCode"/> carries, so the raw response is read.
    /// </summary>
    public static string? SoftDeleteConflict(RequestFailedException exception)
    {
        if (exception.Status != 409)
        {
            return null;
        }

        var code = InnerErrorCode(exception.GetRawResponse()) ?? exception.ErrorCode;
        return code is ObjectIsDeletedButRecoverable or ObjectIsBeingDeleted or ObjectIsBeingRecovered ? code : null;
    }

    /// <summary>The Retry-After a client should be given for this failure: the vault's own when it sent one, within bounds.</summary>
    public static TimeSpan RetryAfter(RequestFailedException exception)
    {
        var response = exception.GetRawResponse();
        var delay = response is null ? null : ServerDelay(response);
        return delay is { } value ? Clamp(value) : DefaultRetryAfter;
    }

    /// <summary>The delay the server asked for: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? ServerDelay(Response response)
    {
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

    private static string? InnerErrorCode(Response? response)
    {
        if (response is null)
        {
            return null;
        }

        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            // The body was streamed, not buffered: there is nothing to read.
            return null;
        }

        if (content.ToMemory().IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("innererror", out var inner)
                && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
