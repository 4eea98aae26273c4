using Microsoft.Extensions.Logging;

namespace Onboarding.Core.ApiKeys;

// The store's log messages: they name the secret and the provider, never a value.
public sealed partial class KeyVaultSecretStore
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored secret {SecretName} for provider {Provider} in Key Vault")]
    private static partial void LogStored(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read secret {SecretName} for provider {Provider} from Key Vault")]
    private static partial void LogRead(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is not in Key Vault")]
    private static partial void LogNotFound(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted secret {SecretName} for provider {Provider} from Key Vault (soft delete)")]
    private static partial void LogDeleted(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} was already absent from Key Vault")]
    private static partial void LogAlreadyAbsent(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is already being deleted")]
    private static partial void LogAlreadyBeingDeleted(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion of secret {SecretName} for provider {Provider} was not finished after {Timeout}; Key Vault completes it on its own")]
    private static partial void LogDeletionPending(ILogger logger, string secretName, string provider, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault accepted the deletion of secret {SecretName} for provider {Provider}, but polling its progress failed (status {Status}); Key Vault completes it on its own")]
    private static partial void LogDeletionUnconfirmed(ILogger logger, Exception exception, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {SecretName} for provider {Provider} is soft-deleted; recovering it before writing the new value")]
    private static partial void LogRecovering(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered secret {SecretName} for provider {Provider}")]
    private static partial void LogRecovered(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recovery of secret {SecretName} for provider {Provider} answered {Status}; writing again")]
    private static partial void LogRecoveryRaced(ILogger logger, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery of secret {SecretName} for provider {Provider} did not finish within {Timeout}")]
    private static partial void LogRecoveryTimedOut(ILogger logger, string secretName, string provider, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Secret {SecretName} for provider {Provider} is in state {State}; waiting before writing again")]
    private static partial void LogWaitingForSoftDelete(ILogger logger, string secretName, string provider, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Secret {SecretName} for provider {Provider} was still in state {State} after {Timeout}")]
    private static partial void LogSoftDeleteConflictPersisted(ILogger logger, string secretName, string provider, string state, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disabled {Count} older versions of secret {SecretName} for provider {Provider}")]
    private static partial void LogOlderVersionsDisabled(ILogger logger, string secretName, string provider, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault refused to {Operation} secret {SecretName} for provider {Provider} with a conflict ({Code}); clients are asked to retry")]
    private static partial void LogConflict(ILogger logger, Exception exception, string operation, string secretName, string provider, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged deleted secret {SecretName} for provider {Provider}")]
    private static partial void LogPurged(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Did not purge secret {SecretName} for provider {Provider}: its deletion had not finished; it stays in soft delete")]
    private static partial void LogPurgeSkipped(ILogger logger, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault refused to purge secret {SecretName} for provider {Provider} (status {Status}); it stays in soft delete until the retention period ends")]
    private static partial void LogPurgeRefused(ILogger logger, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault could not {Operation} secret {SecretName} for provider {Provider}: status {Status}; clients are asked to retry after {RetryAfter}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation, string secretName, string provider, int status, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault was unreachable to {Operation} secret {SecretName} for provider {Provider}")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string operation, string secretName, string provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key Vault denied {Operation} of secret {SecretName} for provider {Provider} (status {Status}): the app's identity needs a secrets role on the vault")]
    private static partial void LogAccessDenied(ILogger logger, Exception exception, string operation, string secretName, string provider, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "No token for Key Vault to {Operation} secret {SecretName} for provider {Provider}: the app's identity is not available")]
    private static partial void LogNoToken(ILogger logger, Exception exception, string operation, string secretName, string provider);
}
