using System.ComponentModel.DataAnnotations;

namespace Onboarding.Core.ApiKeys;

/// <summary>
/// How hard the Key Vault secret store tries before it reports the vault unavailable. The defaults keep a failing call
/// short: a vault that answers with errors yields a 503 in about a second (plus at most two honoured Retry-After
/// waits), one that does not answer at all after (MaxRetries + 1) x NetworkTimeout, about 6.5 s.
/// </summary>
public sealed class KeyVaultSecretStoreOptions
{
    public const string SectionName = "Secrets:KeyVault";

    /// <summary>Retries of one Key Vault call after the first attempt (Azure.Core retry policy, exponential back-off).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First back-off delay of the exponential retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest computed back-off delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one attempt to get a response.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Longest server Retry-After the client waits through before retrying. A throttled answer that asks for longer is
    /// not retried: it becomes a 503 at once, carrying the vault's Retry-After to the client.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxServerRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Interval between polls of a soft delete or recovery, and between writes to a name that is still changing state.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a delete waits for Key Vault to finish the soft delete. When it is not finished by then the delete still
    /// succeeds (the vault completes it); a write of the same name meanwhile waits in <see cref="RecoveryTimeout"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DeleteCompletionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a write may spend getting a soft-deleted name back (recover, then set) before it gives up with a 503.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:02:00")]
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Purge a secret after deleting it, so its value does not linger in soft-delete. Off by default; a vault with purge
    /// protection (as the infra deploys it) refuses purges, which is logged and otherwise ignored.
    /// </summary>
    public bool PurgeDeletedSecrets { get; set; }
}
