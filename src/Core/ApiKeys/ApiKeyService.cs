using Microsoft.Extensions.Logging;
using Onboarding.Core.Identity;
using Onboarding.Core.Onboarding;

namespace Onboarding.Core.ApiKeys;

/// <summary>A key to store for a provider, as checked against the provider's format.</summary>
public sealed record NewApiKey(Provider Provider, string Value, string? Description);

/// <summary>
/// Writes provider keys to the secret store before the index rows that point at them, and undoes those writes when
/// the index transaction does not land: there is never an index row without a secret, nor a secret no listing reaches.
/// </summary>
public sealed partial class ApiKeyService(ISecretStore secrets, TimeProvider time, ILogger<ApiKeyService> logger)
{
    /// <summary>Stores the secrets and returns the index entries to commit, with the means to undo the secret writes.</summary>
    public async Task<SecretWrites> WriteSecretsAsync(CurrentUser user, UserSnapshot snapshot, IReadOnlyList<NewApiKey> keys, CancellationToken cancellationToken)
    {
        var writes = NewWrites();
        try
        {
            await WriteSecretsAsync(user, snapshot, keys, writes, cancellationToken);
        }
        catch
        {
            await writes.UndoAsync();
            throw;
        }

        return writes;
    }

    /// <summary>An empty set of writes, for <see cref="WriteSecretsAsync(CurrentUser, UserSnapshot, IReadOnlyList{NewApiKey}, SecretWrites, CancellationToken)"/>.</summary>
    public SecretWrites NewWrites() => new(secrets, logger);

    /// <summary>
    /// Stores the secrets into <paramref name="writes"/>. Each write's undo is registered before the write is sent, so a
    /// write that lands but whose answer is lost (or that fails after landing) is undone too. On failure the caller undoes.
    /// </summary>
    public async Task WriteSecretsAsync(CurrentUser user, UserSnapshot snapshot, IReadOnlyList<NewApiKey> keys, SecretWrites writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(writes);
        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            var name = SecretNames.For(user.UserKey, key.Provider);
            var indexed = snapshot.ApiKeys.Any(k => k.Provider == key.Provider.Name);

            // A replaced key is restored on failure, so its current value is read first.
            var previous = indexed ? await secrets.GetAsync(name, cancellationToken) : null;
            var tags = new Dictionary<string, string>
            {
                ["user"] = user.UserKey,
                ["provider"] = key.Provider.Name,
            };
            writes.Add(name, key.Provider.Name, previous, tags);
            await secrets.SetAsync(name, key.Value, tags, cancellationToken);
            writes.Entries.Add(new ApiKeyEntry(key.Provider.Name, name, ProviderCatalog.Mask(key.Value), now, key.Description));
            LogKeyStored(logger, key.Provider.Name, name);
        }
    }

    /// <summary>Deletes one secret by name (idempotent: a missing secret is not an error).</summary>
    public async Task DeleteSecretAsync(string secretName, string provider, CancellationToken cancellationToken)
    {
        await secrets.DeleteAsync(secretName, cancellationToken);
        LogKeyDeleted(logger, provider, secretName);
    }

    /// <summary>The stored value's masked hint, or null when there is no secret: what a reconciliation compares with the index.</summary>
    public async Task<string?> StoredHintAsync(string secretName, CancellationToken cancellationToken)
        => await secrets.GetAsync(secretName, cancellationToken) is { } value ? ProviderCatalog.Mask(value) : null;

    /// <summary>Writes the stored value again as the current version (a reconciliation: older versions are retired by the write).</summary>
    public async Task RewriteAsync(CurrentUser user, Provider provider, string secretName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(provider);
        if (await secrets.GetAsync(secretName, cancellationToken) is { } value)
        {
            await secrets.SetAsync(secretName, value, new Dictionary<string, string> { ["user"] = user.UserKey, ["provider"] = provider.Name }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored the {Provider} API key as secret {SecretName}")]
    private static partial void LogKeyStored(ILogger logger, string provider, string secretName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the {Provider} API key secret {SecretName}")]
    private static partial void LogKeyDeleted(ILogger logger, string provider, string secretName);
}

/// <summary>Secrets written for one request, kept so they can be undone if the index rows never land.</summary>
public sealed partial class SecretWrites(ISecretStore secrets, ILogger logger)
{
    private readonly List<(string Name, string Provider, string? Previous, IReadOnlyDictionary<string, string> Tags)> _written = [];

    public List<ApiKeyEntry> Entries { get; } = [];

    /// <summary>Providers whose write could not be undone by the last <see cref="UndoAsync"/>.</summary>
    public IReadOnlyList<string> NotUndone { get; private set; } = [];

    internal void Add(string name, string provider, string? previous, IReadOnlyDictionary<string, string> tags) => _written.Add((name, provider, previous, tags));

    /// <summary>
    /// True when <paramref name="stored"/> holds every index entry of these writes, as this request made them: the index
    /// transaction landed even though its answer was lost, so the secrets must stay.
    /// </summary>
    public bool LandedIn(UserSnapshot stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Entries.Count > 0 && Entries.All(written => stored.ApiKeys.Any(row =>
            row.Provider == written.Provider
            && row.SecretName == written.SecretName
            && row.Hint == written.Hint
            && (row.UpdatedAt - written.UpdatedAt).Duration() < TimeSpan.FromMilliseconds(1)));
    }

    /// <summary>
    /// Restores replaced secrets and deletes new ones. Runs to the end even when the request was cancelled, and never
    /// throws: the failure that made the caller undo is the one to report. A write that cannot be undone is logged and
    /// named in <see cref="NotUndone"/>; the secret keeps its name (<c>u-{UserKey}-{provider}</c>), so the caller can
    /// leave it for the next key operation to reconcile.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "An undo must not hide the failure being undone, nor stop before the other secrets.")]
    public async Task UndoAsync()
    {
        var failed = new List<string>();
        foreach (var (name, provider, previous, tags) in _written)
        {
            try
            {
                if (previous is null)
                {
                    await secrets.DeleteAsync(name, CancellationToken.None);
                }
                else
                {
                    await secrets.SetAsync(name, previous, tags, CancellationToken.None);
                }

                LogUndone(logger, name);
            }
            catch (Exception ex)
            {
                failed.Add(provider);
                LogUndoFailed(logger, ex, name);
            }
        }

        _written.Clear();
        NotUndone = failed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Undid the write of secret {SecretName} because its index row was not stored")]
    private static partial void LogUndone(ILogger logger, string secretName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not undo the write of secret {SecretName}; the user's next key operation reconciles it")]
    private static partial void LogUndoFailed(ILogger logger, Exception exception, string secretName);
}
