namespace Onboarding.Core.ApiKeys;

/// <summary>Holds raw provider API keys. Values never leave this seam except to the code that uses the key.</summary>
public interface ISecretStore
{
    /// <summary>Creates or replaces the secret. Throws <see cref="DependencyUnavailableException"/> when the store cannot be reached.</summary>
    Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>The current value, or null when there is no such secret (or it is deleted).</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes the secret; deleting a missing secret is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Proves the store is reachable and usable by this identity without reading any user secret.</summary>
    Task CheckReadyAsync(CancellationToken cancellationToken);
}
