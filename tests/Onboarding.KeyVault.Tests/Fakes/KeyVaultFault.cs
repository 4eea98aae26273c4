using System.Net;

namespace Onboarding.Tests.Fakes;

/// <summary>The Key Vault secrets operations <see cref="FakeKeyVaultHandler"/> understands.</summary>
public enum KeyVaultOperation
{
    Unknown,
    SetSecret,
    GetSecret,
    ListSecrets,
    ListSecretVersions,
    UpdateSecretProperties,
    DeleteSecret,
    GetDeletedSecret,
    RecoverDeletedSecret,
    PurgeDeletedSecret,
}

/// <summary>A request as the fake saw it: whether it had a body, never the body itself, so never a secret value.</summary>
public sealed record FakeKeyVaultRequest(string Method, string Path, KeyVaultOperation Operation, string? SecretName, bool Authenticated, bool HasBody)
{
    /// <summary>The status the fake answered; 0 when it failed the connection instead.</summary>
    public int Status { get; internal set; }
}

/// <summary>A failure the fake answers with instead of doing the operation.</summary>
public sealed record KeyVaultFault(HttpStatusCode Status, string Code, string Message, string? InnerCode = null, string? RetryAfter = null)
{
    /// <summary>Throw <see cref="HttpRequestException"/> as a refused connection does; no response at all.</summary>
    public bool FailsConnection { get; init; }

    /// <summary>Never answer: the request waits until the client gives up (its network timeout or cancellation).</summary>
    public bool Hangs { get; init; }

    /// <summary>The vault does the operation, and then answers with this fault instead of its result (an answer lost on the way back).</summary>
    public bool LandsFirst { get; init; }

    /// <summary>Faults of the connection rather than of the service: they hit any request, authenticated or not.</summary>
    internal bool IsTransport => FailsConnection || Hangs;

    /// <summary>429 as Key Vault throttles; <paramref name="retryAfterSeconds"/> goes into the Retry-After header when given.</summary>
    public static KeyVaultFault Throttled(int? retryAfterSeconds = null) =>
        new(HttpStatusCode.TooManyRequests, "Throttled",
            "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
            RetryAfter: retryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static KeyVaultFault ServiceUnavailable(int? retryAfterSeconds = null) =>
        new(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable.",
            RetryAfter: retryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static KeyVaultFault InternalServerError() =>
        new(HttpStatusCode.InternalServerError, "InternalServerError", "An unexpected error occurred.");

    /// <summary>403 as Key Vault answers an identity without a role on an RBAC vault.</summary>
    public static KeyVaultFault Forbidden() =>
        new(HttpStatusCode.Forbidden, "Forbidden",
            "Caller is not authorized to perform action on resource. If role assignments were recently changed, please wait several minutes for role assignments to become effective.",
            InnerCode: "ForbiddenByRbac");

    /// <summary>409 with a soft-delete inner error code, e.g. ObjectIsBeingRecovered.</summary>
    public static KeyVaultFault Conflict(string innerCode) =>
        new(HttpStatusCode.Conflict, "Conflict", $"The secret is in state {innerCode}; retry later.", InnerCode: innerCode);

    public static KeyVaultFault ConnectionFailure() =>
        new(HttpStatusCode.ServiceUnavailable, "", "") { FailsConnection = true };

    public static KeyVaultFault Unresponsive() =>
        new(HttpStatusCode.GatewayTimeout, "", "") { Hangs = true };
}
