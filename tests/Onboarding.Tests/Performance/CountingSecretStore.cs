using System.Collections.Concurrent;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Tests.Performance;

/// <summary>Counts the calls that reach the secret store (Key Vault in Azure), then passes them on.</summary>
public sealed class CountingSecretStore(ISecretStore inner, ConcurrentQueue<string> calls) : ISecretStore, IDisposable
{
    public Task SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        calls.Enqueue("set");
        return inner.SetAsync(name, value, tags, cancellationToken);
    }

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        calls.Enqueue("get");
        return inner.GetAsync(name, cancellationToken);
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        calls.Enqueue("delete");
        return inner.DeleteAsync(name, cancellationToken);
    }

    public Task CheckReadyAsync(CancellationToken cancellationToken)
    {
        calls.Enqueue("ready");
        return inner.CheckReadyAsync(cancellationToken);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
