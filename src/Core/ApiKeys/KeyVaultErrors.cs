using System.Text.Json;
using Azure;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// How Key Vault says "not allowed" and "this name is in soft delete". "Not now" (throttling, outages) is the same as for
/// every Azure service: <see cref="TransientErrors"/>.
/// </summary>
internal static class KeyVaultErrors
{
    /// <summary>409 inner error: the name belongs to a soft-deleted secret; it can only be recovered or purged.</summary>
    public const string ObjectIsDeletedButRecoverable = "ObjectIsDeletedButRecoverable";

    /// <summary>409 inner error: a delete (or purge) of the name is still under way.</summary>
    public const string ObjectIsBeingDeleted = "ObjectIsBeingDeleted";

    /// <summary>409 inner error: a recovery of the name is still under way.</summary>
    public const string ObjectIsBeingRecovered = "ObjectIsBeingRecovered";

    /// <summary>
    /// A refused identity is an operator's problem, not the client's: role assignments take minutes to propagate after a
    /// deployment, so clients are asked to come back later rather than told their request was wrong.
    /// </summary>
    public static readonly TimeSpan AccessDeniedRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>401 after the bearer challenge means the token was rejected; 403 means the identity has no role on the vault.</summary>
    public static bool IsAccessDenied(int status) => status is 401 or 403;

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
